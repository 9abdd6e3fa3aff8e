/**
 * The local console in a real browser: headless Chromium (Debian's /usr/bin/chromium, never a downloaded one) driven
 * by playwright-core against the local cloud of the e2e global setup. Screenshots and the page's weight and time to
 * first graph go to reports/ (git-ignored).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sampleOrder from '../../data/sample-order.json';
import { e2e } from './support/env';
import { orderBody, postOrder, waitForExecutionEnd, waitForTerminalOrder } from './support/orders-api';

// Whole workflows and a browser on a slow shared machine: generous bounds on purpose.
jest.setTimeout(180_000);

const REPORTS = join(__dirname, '..', '..', 'reports');
const CHROMIUM = '/usr/bin/chromium';
const consoleUrl = process.env.E2E_SFN_URL ?? '';

/** Every state of the order workflow, read from its ASL so the expected graphs follow the definition. */
const ORDER_STATES = Object.keys(
  (
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'statemachines', 'order.asl.json'), 'utf8')) as {
      States: Record<string, unknown>;
    }
  ).States,
);

let userDataDir: string;
let context: BrowserContext;
let page: Page;
let shipped: { orderId: string; executionArn: string };
let declined: { orderId: string; executionArn: string };

async function accept(overrides: Record<string, unknown> = {}) {
  const accepted = await postOrder(orderBody(overrides));
  expect({ status: accepted.status, body: accepted.json }).toMatchObject({ status: 202 });
  return { orderId: String(accepted.json.orderId), executionArn: String(accepted.json.executionArn) };
}

function executionUrl(executionArn: string): string {
  return `${consoleUrl}/#/execution/${encodeURIComponent(executionArn)}`;
}

/** What the graph shows for each state: its `data-status` (succeeded, failed, caught, ..., not-reached). */
async function stateStatuses(): Promise<Record<string, string>> {
  const pairs = await page.$$eval('svg.graph [data-state]', (nodes) =>
    nodes.map((node): [string, string] => [
      node.getAttribute('data-state') ?? '',
      node.getAttribute('data-status') ?? '',
    ]),
  );
  return Object.fromEntries(pairs);
}

beforeAll(async () => {
  if (!consoleUrl) throw new Error('E2E_SFN_URL is not set: the e2e global setup did not run');
  mkdirSync(REPORTS, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
  [shipped, declined] = await Promise.all([accept(), accept({ payment: { token: 'tok_declined' } })]);
  await Promise.all([waitForTerminalOrder(shipped.orderId), waitForTerminalOrder(declined.orderId)]);
  await Promise.all([waitForExecutionEnd(shipped.executionArn), waitForExecutionEnd(declined.executionArn)]);
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  e2e.sfn.destroy();
  e2e.dynamodb.destroy();
});

describe('the local console', () => {
  it('draws a shipped order: every state on its path succeeded, the others not reached', async () => {
    // First load with an empty cache: what crosses the wire until the graph is drawn, and when it is.
    let bytes = 0;
    const sizes: Promise<void>[] = [];
    const onRequest = (request: import('playwright-core').Request) =>
      sizes.push(
        request.sizes().then((size) => {
          bytes += size.responseBodySize + size.responseHeadersSize;
        }),
      );
    page.on('requestfinished', onRequest);

    await page.goto(executionUrl(shipped.executionArn));
    await page.waitForSelector('[data-execution-status="SUCCEEDED"]');
    await page.waitForSelector('svg.graph [data-state="OrderShipped"][data-status="succeeded"]');
    page.off('requestfinished', onRequest);
    await Promise.all(sizes);
    const firstGraphMs = await page.evaluate(
      () => performance.getEntriesByName('console-first-graph')[0]?.startTime ?? -1,
    );
    writeFileSync(
      join(REPORTS, 'console-metrics.json'),
      `${JSON.stringify({ firstLoadBytes: bytes, firstGraphMs: Math.round(firstGraphMs) }, null, 2)}\n`,
    );
    await page.screenshot({ path: join(REPORTS, 'console-shipped.png'), fullPage: true });

    const path = ['ValidateOrder', 'ProcessPayment', 'ShipOrder', 'RecordShipment', 'OrderShipped'];
    const expected = Object.fromEntries(
      ORDER_STATES.map((name) => [name, path.includes(name) ? 'succeeded' : 'not-reached']),
    );
    expect(await stateStatuses()).toEqual(expected);
    expect(firstGraphMs).toBeGreaterThan(0);
  });

  it('draws a declined order: ProcessPayment failed, its Catch taken to NotifyOrderError, OrderFailed', async () => {
    await page.goto(executionUrl(declined.executionArn));
    await page.waitForSelector('[data-execution-status="FAILED"]');
    await page.waitForSelector('svg.graph [data-state="OrderFailed"][data-status="failed"]');

    const statuses = await stateStatuses();
    const catchEdge = await page.getAttribute(
      '.edge[data-kind="catch"][data-from="ProcessPayment"][data-to="NotifyOrderError"]',
      'data-taken',
    );
    await page.click('svg.graph [data-state="ProcessPayment"]');
    const error = await page.textContent('[data-panel="state"] [data-state-error]');
    await page.screenshot({ path: join(REPORTS, 'console-declined.png'), fullPage: true });
    // The README's picture (docs/console.png is a copy): the graph and the clicked state's details.
    await page
      .locator('.split')
      .first()
      .screenshot({ path: join(REPORTS, 'console-graph.png') });

    const reached: Record<string, string> = {
      ValidateOrder: 'succeeded',
      ProcessPayment: 'caught',
      NotifyOrderError: 'succeeded',
      OrderFailed: 'failed',
    };
    expect(statuses).toEqual(
      Object.fromEntries(ORDER_STATES.map((name) => [name, reached[name] ?? 'not-reached'])),
    );
    expect(catchEdge).toBe('true');
    expect(error).toBe('PaymentFailedError');
  });

  it('links ShipOrder to the fulfilment child graph, and the child back to its parent', async () => {
    await page.goto(executionUrl(shipped.executionArn));
    await page.click('svg.graph [data-state="ShipOrder"] a.child-link');
    await page.waitForSelector('svg.graph [data-state="Fulfilled"][data-status="succeeded"]');

    const childHash = await page.evaluate(() => decodeURIComponent(location.hash));
    const statuses = await stateStatuses();
    const groups = await page.$$eval('svg.graph [data-group]', (nodes) =>
      nodes.map((node) => node.getAttribute('data-group')),
    );
    const parentHref = await page.getAttribute('a.parent-link', 'href');
    await page.screenshot({ path: join(REPORTS, 'console-fulfilment.png'), fullPage: true });

    expect(childHash).toBe(
      `#/execution/${e2e.fulfilmentStateMachineArn.replace(':stateMachine:', ':execution:')}:${shipped.orderId}`,
    );
    expect(statuses).toMatchObject({
      ReserveStock: 'succeeded',
      ReserveItem: 'succeeded',
      ChooseService: 'succeeded',
      WaitForCollection: 'succeeded',
      PrepareShipment: 'succeeded',
      CreateShipment: 'succeeded',
      SendConfirmation: 'succeeded',
      RequestPickup: 'succeeded',
      CancelPickup: 'not-reached',
      Fulfilled: 'succeeded',
      FulfilmentFailed: 'not-reached',
    });
    expect(groups).toEqual(
      expect.arrayContaining([
        'ReserveStock::group',
        'ReserveStock::branch0',
        'PrepareShipment::group',
        'PrepareShipment::branch0',
        'PrepareShipment::branch1',
      ]),
    );
    expect(decodeURIComponent(parentHref ?? '')).toBe(`#/execution/${shipped.executionArn}`);
  });

  it('completes a waiting pickup with the SendTaskSuccess button, and the order reaches SHIPPED', async () => {
    // 99998: the sandbox carrier never calls back, so only the console's buttons answer RequestPickup's token.
    const waiting = await accept({
      shippingAddress: { ...sampleOrder.shippingAddress, postalCode: '99998' },
    });
    await page.goto(executionUrl(waiting.executionArn));
    await page.click('svg.graph [data-state="ShipOrder"] a.child-link');
    const panel = '[data-waiting-state="RequestPickup"]';
    await page.waitForSelector(`${panel} [data-action="send-task-success"]`);
    // A heartbeat first (HeartbeatSeconds is 3 s at the e2e time scale); AWS answers it only for the live token.
    await page.click(`${panel} [data-action="send-task-heartbeat"]`);
    await page.waitForSelector(`${panel} [data-result] >> text=SendTaskHeartbeat sent`);
    const shownToken = await page.getAttribute(`${panel} [data-token]`, 'data-token');
    await page.fill(`${panel} [data-editor="task-output"]`, '{"pickedUpAt":"2024-06-01T09:00:00Z"}');
    await page.click(`${panel} [data-action="send-task-success"]`);

    await page.waitForSelector('[data-execution-status="SUCCEEDED"]');
    await page.waitForSelector('svg.graph [data-state="Fulfilled"][data-status="succeeded"]');
    const requestPickup = await page.getAttribute('svg.graph [data-state="RequestPickup"]', 'data-status');
    const order = await waitForTerminalOrder(waiting.orderId);

    expect(requestPickup).toBe('succeeded');
    expect(order.status).toBe('SHIPPED');
    expect(shownToken).toMatch(/\S{20,}/);
  });

  it('starts an execution from the prefilled input, lists it first, and filters the list by status', async () => {
    const machineName = e2e.stateMachineArn.split(':').at(-1) ?? '';
    const name = `console-${Date.now()}`;
    await page.goto(consoleUrl);
    await page.click(`[data-machine="${machineName}"]`);
    await page.click('summary >> text=Start an execution');
    const prefilled = await page.inputValue('[data-editor="start-input"]');
    const hint = await page.textContent('[data-hint="start-input"]');
    await page.fill('input[aria-label="Execution name"]', name);
    await page.click('[data-action="start-execution"]');
    await page.waitForSelector(`h1 >> text=${name}`);
    const startedHash = await page.evaluate(() => decodeURIComponent(location.hash));
    // The prefill names no stored order: the run ends FAILED in ValidateOrder and changes nothing.
    await page.waitForSelector('[data-execution-status="FAILED"]');
    await page.waitForSelector('svg.graph [data-state="OrderFailed"][data-status="failed"]');
    const startedStatuses = await stateStatuses();
    await page.click('svg.graph [data-state="ValidateOrder"]');
    const startedError = await page.textContent('[data-panel="state"] [data-state-error]');

    await page.click(`[data-machine="${machineName}"]`);
    await page.waitForSelector(`tr[data-execution="${name}"]`);
    const listed = await page.$$eval('table.executions tbody tr', (rows) =>
      rows.map((row) => row.getAttribute('data-execution')),
    );
    await page.selectOption('[data-filter="status"]', 'FAILED');
    await page.waitForSelector(`tr[data-execution="${declined.orderId}"]`);
    const failedRows = await page.$$eval('table.executions tbody tr', (rows) =>
      rows.map((row) => row.getAttribute('data-status')),
    );
    const shippedListed = await page.$(`tr[data-execution="${shipped.orderId}"]`);

    expect(JSON.parse(prefilled)).toEqual({
      orderId: expect.stringMatching(/^ord_[0-9A-Z]{26}$/) as unknown,
      paymentMethod: expect.stringMatching(/^pm_[0-9a-f]{24}$/) as unknown,
    });
    expect(hint).toContain('POST /orders');
    expect(startedStatuses).toMatchObject({ ValidateOrder: 'caught', OrderFailed: 'failed' });
    expect(startedError).toBe('OrderNotFoundError');
    const { orderId } = JSON.parse(prefilled) as { orderId: string };
    const stored = await e2e.dynamodb.send(
      new GetCommand({ TableName: e2e.ordersTable, Key: { orderId }, ConsistentRead: true }),
    );
    expect(stored.Item).toBeUndefined();
    expect(startedHash).toBe(
      `#/execution/${e2e.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
    );
    expect(listed[0]).toBe(name);
    expect(listed.indexOf(declined.orderId)).toBeGreaterThan(0);
    expect(new Set(failedRows)).toEqual(new Set(['FAILED']));
    expect(shippedListed).toBeNull();
  });
});
