/// <reference lib="dom" />
/**
 * The local console: state machines, their executions, and each execution drawn as a live graph with its history
 * and its waiting tasks. Hash routes: #/machine/<arn>, #/execution/<arn>. Everything comes from the Step Functions
 * API (api.ts); while something runs, the open view polls it.
 */
import { analyse, type Analysis, type StateRun } from './analysis';
import { ApiError, call, fullHistory, listAllStateMachines, type Execution, type HistoryEvent } from './api';
import { arnName, formatDate, formatDuration, h, pretty } from './dom';
import { describeMachine } from './machine-cache';
import { machineView } from './machine-view';
import type { GraphModel } from './model';
import { drawGraph, type DrawnGraph } from './render';
import {
  currentView,
  executionHref,
  machineHref,
  openView,
  showError,
  showGraph,
  viewRoot,
  type OpenView,
  type View,
} from './shell';

const POLL_MS = 700;

const machinesRoot = document.getElementById('machines')!;
const liveBadge = document.getElementById('live')!;

async function renderMachineList(selected?: string): Promise<void> {
  const list = await listAllStateMachines();
  machinesRoot.replaceChildren(
    h('h2', {}, 'State machines'),
    ...list.map((sm) =>
      h(
        'a',
        {
          href: machineHref(sm.stateMachineArn),
          class: sm.stateMachineArn === selected ? 'current' : undefined,
          'data-machine': sm.name,
        },
        sm.name,
      ),
    ),
  );
}

// -------------------------------------------------------------------------------------------- execution view

function executionView(arn: string): View {
  let execution: Execution | undefined;
  let events: HistoryEvent[] = [];
  let analysis: Analysis | undefined;
  let graph: DrawnGraph | undefined;
  let model: GraphModel | undefined;
  let selected: string | undefined;
  let waitingKey = '';
  const header = h('div', {}, h('h1', {}, arnName(arn)));
  const waitingBox = h('div', {});
  const graphBox = h('div', { class: 'graph-wrap' }, h('p', { class: 'muted' }, 'Loading…'));
  const details = h(
    'div',
    { class: 'panel', 'data-panel': 'state' },
    h('p', { class: 'muted' }, 'Select a state to see its input, output, retries and events.'),
  );
  const io = h('div', {});
  const historyBox = h('div', {});
  const legend = h(
    'div',
    { class: 'legend' },
    ...['succeeded', 'failed', 'caught', 'retried', 'running', 'aborted', 'not-reached'].map((s) =>
      h('span', {}, h('i', { class: `swatch ${s}`, style: undefined }), s),
    ),
  );
  viewRoot.replaceChildren(
    header,
    waitingBox,
    legend,
    h('div', { class: 'split' }, graphBox, details),
    io,
    h('h2', {}, 'Events'),
    historyBox,
  );

  const select = (state: string) => {
    selected = state;
    graph?.select(state);
    renderDetails();
  };

  const renderDetails = () => {
    const run = selected ? analysis?.runs.get(selected) : undefined;
    if (!run || !model) return;
    details.replaceChildren(...stateDetails(run, model, analysis));
  };

  const renderHeader = () => {
    if (!execution) return;
    const e = execution;
    const end = e.stopDate ?? Date.now() / 1000;
    const parent = parentOf(e.input);
    const stop = h('button', { class: 'danger', 'data-action': 'stop-execution' }, 'Stop execution');
    stop.addEventListener('click', () => {
      stop.disabled = true;
      call('StopExecution', {
        executionArn: arn,
        error: 'Console',
        cause: 'Stopped from the local console',
      }).then(
        () => void currentView()?.view.refresh(),
        (error: unknown) => header.append(showError(error)),
      );
    });
    header.replaceChildren(
      h(
        'h1',
        {},
        e.name,
        ' ',
        h('span', { class: `status ${e.status}`, 'data-execution-status': e.status }, e.status),
      ),
      h(
        'div',
        { class: 'row' },
        h(
          'span',
          {},
          'State machine ',
          h('a', { href: machineHref(e.stateMachineArn) }, arnName(e.stateMachineArn)),
        ),
        parent
          ? h(
              'span',
              {},
              'Started by ',
              h('a', { href: executionHref(parent), class: 'parent-link' }, arnName(parent)),
            )
          : null,
        h('span', {}, `Started ${formatDate(e.startDate)}`),
        h('span', {}, `Duration ${formatDuration((end - e.startDate) * 1000)}`),
        e.status === 'RUNNING' ? stop : null,
      ),
      h('div', { class: 'muted' }, e.executionArn),
    );
  };

  const renderWaiting = () => {
    const waiting = analysis?.waiting ?? [];
    const key = waiting.map((w) => w.token).join(',');
    if (key === waitingKey) return;
    waitingKey = key;
    waitingBox.replaceChildren(...waiting.map((w) => waitingPanel(w.state, w.token, model)));
  };

  const renderIo = () => {
    if (!execution) return;
    const e = execution;
    io.replaceChildren(
      h(
        'div',
        { class: 'split' },
        h(
          'div',
          { class: 'panel' },
          h('h2', {}, 'Input'),
          h('pre', { 'data-execution-input': '' }, pretty(e.input)),
        ),
        h(
          'div',
          { class: 'panel' },
          e.error !== undefined || e.cause !== undefined
            ? [
                h('h2', {}, 'Error'),
                h('pre', { class: 'error' }, e.error ?? ''),
                h('h2', {}, 'Cause'),
                h('pre', {}, pretty(e.cause)),
              ]
            : [
                h('h2', {}, 'Output'),
                h('pre', { 'data-execution-output': '' }, e.output === undefined ? '' : pretty(e.output)),
              ],
        ),
      ),
    );
  };

  const renderHistory = () => {
    const start = events[0]?.timestamp ?? 0;
    historyBox.replaceChildren(
      h(
        'table',
        { class: 'events', 'data-table': 'history' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'ID'),
            h('th', {}, 'Type'),
            h('th', {}, 'Step'),
            h('th', {}, 'Elapsed'),
            h('th', {}, 'Details'),
            h('th', {}, 'Timestamp'),
          ),
        ),
        h('tbody', {}, ...events.map((event) => eventRow(event, start, analysis?.eventState.get(event.id)))),
      ),
    );
  };

  return {
    async refresh() {
      const before = execution?.status;
      const [described, history] = await Promise.all([
        call<Execution>('DescribeExecution', { executionArn: arn }),
        fullHistory(arn),
      ]);
      if (!model) {
        const loaded = await describeMachine(described.stateMachineArn);
        model = loaded.model;
        graph = drawGraph(model, select);
        showGraph(graph, graphBox);
      }
      const changed = history.length !== events.length || described.status !== before;
      execution = described;
      renderHeader();
      if (changed) {
        events = history;
        analysis = analyse(model, events, described.status);
        graph?.paint(analysis, (_state, childArn) => executionHref(childArn));
        renderWaiting();
        renderDetails();
        renderIo();
        renderHistory();
      }
      return described.status === 'RUNNING';
    },
  };
}

function parentOf(input: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(input ?? '') as Record<string, unknown>;
    const parent = parsed.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID;
    return typeof parent === 'string' ? parent : undefined;
  } catch {
    return undefined;
  }
}

function eventRow(event: HistoryEvent, start: number, state: string | undefined): HTMLElement {
  const detailsKey = Object.keys(event).find((key) => key.endsWith('EventDetails'));
  const detail = detailsKey ? event[detailsKey] : undefined;
  return h(
    'tr',
    { 'data-event-type': event.type },
    h('td', {}, String(event.id)),
    h('td', {}, event.type),
    h('td', {}, state ?? ''),
    h('td', {}, formatDuration((event.timestamp - start) * 1000)),
    h(
      'td',
      {},
      detail
        ? h(
            'details',
            {},
            h('summary', {}, summarise(detail)),
            h('pre', {}, JSON.stringify(detail, expandJson, 2)),
          )
        : '',
    ),
    h('td', {}, formatDate(event.timestamp)),
  );
}

/** JSON text fields (input, output, parameters) shown as JSON rather than as escaped strings. */
function expandJson(key: string, value: unknown): unknown {
  if (typeof value === 'string' && ['input', 'output', 'parameters', 'cause'].includes(key)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function summarise(detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '';
  const d = detail as Record<string, unknown>;
  if (typeof d.error === 'string')
    return `${d.error}${typeof d.cause === 'string' ? `: ${d.cause.slice(0, 80)}` : ''}`;
  if (typeof d.name === 'string') return d.name;
  if (typeof d.resource === 'string') return d.resource;
  return Object.keys(d).join(', ');
}

function stateDetails(run: StateRun, model: GraphModel, analysis: Analysis | undefined): Node[] {
  const def = model.states.get(run.name)?.def;
  const nodes: Node[] = [
    h('h2', {}, run.name, ' ', h('span', { class: 'muted' }, def?.Type ?? '')),
    h(
      'div',
      { 'data-state-status': run.status },
      `Status: ${run.status}`,
      run.entered > 1 ? ` · entered ${run.entered} times` : '',
    ),
  ];
  if (run.childExecutionArns.length > 0)
    nodes.push(
      h(
        'div',
        {},
        'Child execution: ',
        ...run.childExecutionArns.map((arn) =>
          h('a', { href: executionHref(arn), class: 'child-link' }, arnName(arn)),
        ),
      ),
    );
  if (run.attempts.length > 0)
    nodes.push(
      h('h2', {}, 'Attempts'),
      h(
        'table',
        { 'data-table': 'attempts' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, '#'), h('th', {}, 'Outcome'), h('th', {}, 'Wait before next')),
        ),
        h(
          'tbody',
          {},
          ...run.attempts.map((attempt, index) =>
            h(
              'tr',
              {},
              h('td', {}, String(index + 1)),
              h(
                'td',
                {},
                attempt.error
                  ? h('span', { class: 'error' }, attempt.error)
                  : attempt.failedAt === undefined &&
                      index === run.attempts.length - 1 &&
                      run.status === 'running'
                    ? 'running'
                    : 'succeeded',
              ),
              h('td', {}, attempt.waitMs === undefined ? '' : formatDuration(attempt.waitMs)),
            ),
          ),
        ),
      ),
    );
  if (run.waitingToken)
    nodes.push(h('h2', {}, 'Waiting on task token'), h('div', { class: 'token' }, run.waitingToken));
  nodes.push(
    h('h2', {}, 'Input'),
    h('pre', { 'data-state-input': '' }, run.input === undefined ? '—' : pretty(run.input)),
  );
  if (run.status === 'failed' || run.status === 'caught')
    nodes.push(
      h('h2', {}, 'Error'),
      h('pre', { class: 'error', 'data-state-error': '' }, run.error ?? ''),
      h('h2', {}, 'Cause'),
      h('pre', {}, pretty(run.cause)),
    );
  if (run.output !== undefined)
    nodes.push(h('h2', {}, 'Output'), h('pre', { 'data-state-output': '' }, pretty(run.output)));
  const start = analysis?.startedAt ?? 0;
  nodes.push(
    h('h2', {}, 'Events'),
    h(
      'table',
      { class: 'events' },
      h('tbody', {}, ...run.events.map((event) => eventRow(event, start, run.name))),
    ),
  );
  return nodes;
}

/** A task waiting on its token, with SendTaskSuccess (output editor), SendTaskFailure and SendTaskHeartbeat. */
function waitingPanel(state: string, token: string, model: GraphModel | undefined): HTMLElement {
  const output = h('textarea', {
    'aria-label': 'Task output',
    'data-editor': 'task-output',
    spellcheck: 'false',
  });
  output.value = JSON.stringify(outputSkeleton(model?.states.get(state)?.def.ResultSelector), null, 2);
  const error = h('input', {
    type: 'text',
    placeholder: 'error',
    'aria-label': 'Error',
    'data-field': 'error',
  });
  const cause = h('input', {
    type: 'text',
    placeholder: 'cause',
    'aria-label': 'Cause',
    'data-field': 'cause',
  });
  const message = h('div', { 'data-result': '' });
  const act = (label: string, action: string, body: () => Record<string, unknown>, className = '') => {
    const button = h(
      'button',
      { class: className, 'data-action': action.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase() },
      label,
    );
    button.addEventListener('click', () => {
      button.disabled = true;
      call(action, { taskToken: token, ...body() }).then(
        () => {
          button.disabled = false;
          message.replaceChildren(
            h('span', { class: 'muted' }, `${action} sent at ${new Date().toLocaleTimeString()}`),
          );
          void currentView()?.view.refresh();
        },
        (e: unknown) => {
          button.disabled = false;
          message.replaceChildren(showError(e instanceof ApiError ? e : String(e)));
        },
      );
    });
    return button;
  };
  return h(
    'div',
    { class: 'panel waiting', 'data-waiting-state': state },
    h('h2', {}, `${state} waits for its task token`),
    h('div', { class: 'token', 'data-token': token }, token),
    output,
    h(
      'div',
      { class: 'row' },
      act('Send task success', 'SendTaskSuccess', () => ({ output: output.value }), 'primary'),
      act('Send heartbeat', 'SendTaskHeartbeat', () => ({})),
      error,
      cause,
      act(
        'Send task failure',
        'SendTaskFailure',
        () => ({
          ...(error.value ? { error: error.value } : {}),
          ...(cause.value ? { cause: cause.value } : {}),
        }),
        'danger',
      ),
    ),
    message,
  );
}

/** A starting point for a task's output: the fields its ResultSelector reads (`$.pickedUpAt` -> pickedUpAt). */
function outputSkeleton(resultSelector: unknown): Record<string, unknown> {
  const skeleton: Record<string, unknown> = {};
  if (resultSelector && typeof resultSelector === 'object') {
    for (const value of Object.values(resultSelector)) {
      const field = typeof value === 'string' ? /^\$\.([A-Za-z0-9_]+)/.exec(value)?.[1] : undefined;
      if (field) skeleton[field] = /At$/.test(field) ? new Date().toISOString() : '';
    }
  }
  return skeleton;
}

// ------------------------------------------------------------------------------------------------ routing

function home(): View {
  viewRoot.replaceChildren(
    h('h1', {}, 'Step Functions'),
    h('p', { class: 'muted' }, 'Pick a state machine to see its executions and its graph.'),
  );
  return { refresh: () => Promise.resolve(false) };
}

function route(): void {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?');
  const [, kind, encoded] = path.split('/');
  const arn = encoded ? decodeURIComponent(encoded) : undefined;
  let view: View;
  if (kind === 'machine' && arn) view = machineView(arn, new URLSearchParams(query).get('status') ?? '');
  else if (kind === 'execution' && arn) view = executionView(arn);
  else view = home();
  const opened = openView(view, hash);
  void renderMachineList(kind === 'machine' ? arn : undefined).catch((error: unknown) =>
    machinesRoot.replaceChildren(showError(error)),
  );
  void poll(opened);
}

/** Refreshes the current view now, then every POLL_MS while it has something running (and the tab is visible). */
async function poll(owner: OpenView): Promise<void> {
  while (owner === currentView()) {
    let live = false;
    try {
      live = await owner.view.refresh();
    } catch (error) {
      if (owner === currentView()) viewRoot.prepend(showError(error));
    }
    liveBadge.classList.toggle('on', live);
    if (!live) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    while (document.hidden && owner === currentView())
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

window.addEventListener('hashchange', route);
route();
