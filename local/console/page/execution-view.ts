/// <reference lib="dom" />
/**
 * One execution, live: its header (with Stop), the panels of its waiting tasks, its graph painted from its history,
 * the selected state's details, its input and output, and every event.
 */
import { analyse, type Analysis } from './analysis';
import { call, fullHistory, type Execution, type HistoryEvent } from './api';
import { arnName, formatDate, formatDuration, h, pretty } from './dom';
import { eventRow } from './events';
import { describeMachine } from './machine-cache';
import type { GraphModel } from './model';
import { drawGraph, type DrawnGraph } from './render';
import { currentView, executionHref, machineHref, showError, showGraph, viewRoot, type View } from './shell';
import { stateDetails } from './state-details';
import { waitingPanel } from './waiting-panel';

export function executionView(arn: string): View {
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
