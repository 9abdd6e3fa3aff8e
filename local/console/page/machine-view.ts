/// <reference lib="dom" />
/** A state machine: its executions (paged, filtered by status), a form to start one, and its definition's graph. */
import { call, type Execution, type ExecutionListItem } from './api';
import { arnName, formatDate, formatDuration, h, pretty } from './dom';
import { describeMachine } from './machine-cache';
import { drawGraph } from './render';
import { executionHref, machineHref, showError, showGraph, viewRoot, type View } from './shell';

const PAGE_SIZE = 20;
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

export function machineView(arn: string, statusFilter: string): View {
  const tokens: (string | undefined)[] = [undefined];
  let pageIndex = 0;
  const table = h('div', {});
  const graphBox = h('div', { class: 'graph-wrap' }, h('p', { class: 'muted' }, 'Loading the definition…'));
  const filter = h(
    'select',
    { 'aria-label': 'Filter by status', 'data-filter': 'status' },
    h('option', { value: '' }, 'All statuses'),
    ...STATUSES.map((s) => h('option', { value: s, selected: s === statusFilter }, s)),
  );
  filter.addEventListener('change', () => (location.hash = machineHref(arn, filter.value)));
  const header = h('div', {}, h('h1', {}, arnName(arn)), h('div', { class: 'muted' }, arn));
  const startPanel = h('div', { class: 'panel' });
  viewRoot.replaceChildren(
    header,
    startPanel,
    h('h2', {}, 'Executions'),
    h('div', { class: 'row' }, filter),
    table,
    h('h2', {}, 'Definition'),
    graphBox,
  );

  void describeMachine(arn).then(
    ({ machine, model }) => {
      header.append(
        h('div', { class: 'muted' }, `${machine.type} · created ${formatDate(machine.creationDate)}`),
      );
      showGraph(
        drawGraph(model, () => {}),
        graphBox,
      );
    },
    (error: unknown) => graphBox.replaceChildren(showError(error)),
  );
  void renderStart(arn, startPanel);

  const load = async (): Promise<boolean> => {
    const page = await call<{ executions: ExecutionListItem[]; nextToken?: string }>('ListExecutions', {
      stateMachineArn: arn,
      maxResults: PAGE_SIZE,
      ...(statusFilter ? { statusFilter } : {}),
      ...(tokens[pageIndex] ? { nextToken: tokens[pageIndex] } : {}),
    });
    tokens[pageIndex + 1] = page.nextToken;
    const previous = h('button', { disabled: pageIndex === 0, 'data-page': 'previous' }, '‹ Newer');
    const next = h('button', { disabled: !page.nextToken, 'data-page': 'next' }, 'Older ›');
    previous.addEventListener('click', () => {
      pageIndex--;
      void load();
    });
    next.addEventListener('click', () => {
      pageIndex++;
      void load();
    });
    const now = Date.now() / 1000;
    table.replaceChildren(
      h(
        'table',
        { class: 'executions' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Status'),
            h('th', {}, 'Name'),
            h('th', {}, 'Started'),
            h('th', {}, 'Duration'),
          ),
        ),
        h(
          'tbody',
          {},
          page.executions.length === 0
            ? h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No executions'))
            : null,
          ...page.executions.map((e) =>
            h(
              'tr',
              { 'data-execution': e.name, 'data-status': e.status },
              h('td', {}, h('span', { class: `status ${e.status}` }, e.status)),
              h('td', {}, h('a', { href: executionHref(e.executionArn) }, e.name)),
              h('td', {}, formatDate(e.startDate)),
              h('td', {}, formatDuration(((e.stopDate ?? now) - e.startDate) * 1000)),
            ),
          ),
        ),
      ),
      h('div', { class: 'row' }, previous, h('span', { class: 'muted' }, `page ${pageIndex + 1}`), next),
    );
    // New executions may start at any time: the list stays live while it is the first page or something runs.
    return pageIndex === 0 || page.executions.some((e) => e.status === 'RUNNING');
  };
  return { refresh: load };
}

/**
 * The order workflow's input only names an order: {orderId, paymentMethod}. POST /orders writes the order (items,
 * address, card token) to DynamoDB and starts its execution; the console cannot place one, so it offers the input's
 * shape for an order that does not exist. Such a run fails cleanly: ValidateOrder finds no order
 * (OrderNotFoundError), NotifyOrderError has none to mark, the execution ends FAILED, and no data changes.
 */
const ORDER_INPUT = {
  orderId: 'ord_00000000000000000000000000',
  paymentMethod: 'pm_000000000000000000000000',
};
const ORDER_INPUT_HINT =
  'Orders start through POST /orders, which stores the order and starts its execution with {orderId, ' +
  'paymentMethod}. Started from here for an order that does not exist, the execution ends FAILED in ' +
  'ValidateOrder (OrderNotFoundError) and changes no data.';

async function renderStart(arn: string, panel: HTMLElement): Promise<void> {
  let input = '{}';
  const isOrderMachine = /order$/i.test(arnName(arn));
  if (isOrderMachine) input = JSON.stringify(ORDER_INPUT, null, 2);
  else {
    const latest = await call<{ executions: ExecutionListItem[] }>('ListExecutions', {
      stateMachineArn: arn,
      maxResults: 1,
    });
    const first = latest.executions[0];
    if (first)
      input = pretty(
        (await call<Execution>('DescribeExecution', { executionArn: first.executionArn })).input,
      );
  }
  const name = h('input', { type: 'text', placeholder: 'name (optional)', 'aria-label': 'Execution name' });
  const editor = h('textarea', {
    'aria-label': 'Execution input',
    'data-editor': 'start-input',
    spellcheck: 'false',
  });
  editor.value = input;
  const message = h('div', {});
  const start = h('button', { class: 'primary', 'data-action': 'start-execution' }, 'Start execution');
  start.addEventListener('click', () => {
    start.disabled = true;
    call<{ executionArn: string }>('StartExecution', {
      stateMachineArn: arn,
      input: editor.value,
      ...(name.value ? { name: name.value } : {}),
    }).then(
      ({ executionArn }) => (location.hash = executionHref(executionArn)),
      (error: unknown) => {
        start.disabled = false;
        message.replaceChildren(showError(error));
      },
    );
  });
  panel.replaceChildren(
    h(
      'details',
      {},
      h('summary', {}, 'Start an execution'),
      h('div', { class: 'row' }, name, start),
      isOrderMachine && h('p', { class: 'muted', 'data-hint': 'start-input' }, ORDER_INPUT_HINT),
      editor,
      message,
    ),
  );
}
