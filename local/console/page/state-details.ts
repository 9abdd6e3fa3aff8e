/// <reference lib="dom" />
/** The panel of the state selected in an execution's graph: status, child executions, attempts, data and events. */
import type { Analysis, StateRun } from './analysis';
import { arnName, formatDuration, h, pretty } from './dom';
import { eventRow } from './events';
import type { GraphModel } from './model';
import { executionHref } from './shell';

export function stateDetails(run: StateRun, model: GraphModel, analysis: Analysis | undefined): Node[] {
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
