/**
 * The local cloud under load and across a restart, as `npm run load` drives it: every accepted order ends SHIPPED
 * or FAILED, none is charged twice, none is charged and left unrefunded. The load runs on the e2e suite's cloud; the
 * restart and crash tests start `npm start` (local/start.ts) of their own on free ports and a data folder of their own.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts, loadOrCreateLocalIssuer, loadOrCreateLocalSecret, type Ports } from '../../local';
import { startCloudProcess, type CloudProcess } from '../../scripts/load/cloud-process';
import { chargesOf } from '../../scripts/load/charges';
import { isTerminal, postOrder, refresh, type TrackedOrder } from '../../scripts/load/orders';
import { SIGNATURE_HEADER, signWebhookPayload } from '../../src/domain/webhook-signature';
import { e2e } from './support/env';

jest.setTimeout(10 * 60_000);

async function untilAllEnded(document: DynamoDBDocumentClient, table: string, orders: TrackedOrder[]) {
  while (orders.some((order) => !isTerminal(order))) {
    await refresh(document, table, orders);
    await sleep(500);
  }
}

describe('the local cloud under load', () => {
  it('ends 50 orders posted 20 at a time, each SHIPPED or FAILED, none charged twice or left unrefunded', async () => {
    const issuer = await loadOrCreateLocalIssuer(process.env.E2E_AUTH_DIR ?? '');
    const token = issuer.sign('cus_load');
    const stats = { throttled: 0, connectionErrors: 0 };
    const orders: TrackedOrder[] = [];
    let next = 0;
    const sender = async () => {
      while (next++ < 50)
        orders.push(await postOrder(e2e.apiUrl, () => ({ authorization: `Bearer ${token}` }), stats));
    };

    await Promise.all(Array.from({ length: 20 }, sender));
    await untilAllEnded(e2e.dynamodb, e2e.ordersTable, orders);

    expect(orders.filter((order) => order.orderId)).toHaveLength(50);
    expect(orders.every(isTerminal)).toBe(true);
    const charges = await chargesOf(e2e.dynamodb, e2e.paymentLedgerTable, orders);
    expect(charges).toMatchObject({ doubleCharges: 0, chargedNotRefunded: 0 });
    expect(charges.charges).toBe(
      orders.filter((order) => order.status === 'SHIPPED' || order.refunded).length,
    );
  });
});

/** `npm start` on free ports with a data folder of its own. */
class OwnCloud {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'order-processing-restart-'));
  process?: CloudProcess & { output: () => string };

  constructor(
    readonly ports: Ports,
    private readonly timeScale: string,
  ) {}

  get env(): Record<string, string> {
    const { http, lambda, dynamodb, stepFunctions } = this.ports;
    return {
      HTTP_PORT: String(http),
      LAMBDA_PORT: String(lambda),
      DYNAMODB_PORT: String(dynamodb),
      SFN_PORT: String(stepFunctions),
      LOCAL_DATA_DIR: this.dataDir,
      SFN_TIME_SCALE: this.timeScale,
    };
  }

  async start(): Promise<void> {
    this.process = await startCloudProcess(() => {}, this.env);
  }

  async stop(): Promise<number | null | undefined> {
    return this.process?.stop();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  client<T>(
    make: (config: {
      endpoint: string;
      region: string;
      credentials: { accessKeyId: string; secretAccessKey: string };
    }) => T,
    port: number,
  ): T {
    return make({
      endpoint: `http://127.0.0.1:${port}`,
      region: e2e.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }
}

describe('a restart of the local cloud with orders in flight', () => {
  let cloud: OwnCloud;

  beforeAll(async () => {
    // Time scale 2: WaitForCollection takes 20 s, long enough to stop the cloud while orders wait in it.
    cloud = new OwnCloud(await freePorts(), '2');
    await cloud.start();
  });

  afterAll(() => cloud.dispose());

  it('resumes every order: those in a Wait and those waiting on a task token all end SHIPPED, charged once', async () => {
    const auth = join(cloud.dataDir, 'auth');
    const token = (await loadOrCreateLocalIssuer(auth)).sign('cus_restart');
    const api = `http://127.0.0.1:${cloud.ports.http}`;
    const headers = () => ({ authorization: `Bearer ${token}` });
    const stats = { throttled: 0, connectionErrors: 0 };
    const post = (body: object) => postOrder(api, headers, stats, body);
    // EXPRESS (from EUR 100) skips the Wait; postal code 99998: the sandbox carrier never calls back.
    const waitingOnToken = await Promise.all(
      Array.from({ length: 5 }, () =>
        post({ items: [{ sku: 'SKU-BOOK-001', quantity: 4 }], shippingAddress: address('99998') }),
      ),
    );
    const inWait = await Promise.all(Array.from({ length: 5 }, () => post({})));
    const sfn = cloud.client((c) => new SFNClient(c), cloud.ports.stepFunctions);
    // npm start reads the same serverless.yml for the same stage as the suite's cloud: the same names.
    const child = (orderId = '') =>
      `${e2e.fulfilmentStateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
    const historyOf = async (orderId = ''): Promise<HistoryEvent[]> => {
      try {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn: child(orderId), maxResults: 1000 }),
        );
        return page.events ?? [];
      } catch (error) {
        // The child has not started yet.
        if ((error as Error).name === 'ExecutionDoesNotExist') return [];
        throw error;
      }
    };
    const has = (events: HistoryEvent[], type: string) => events.some((event) => event.type === type);
    for (const order of waitingOnToken)
      await until(async () => has(await historyOf(order.orderId), 'TaskSubmitted'));
    for (const order of inWait)
      await until(async () => has(await historyOf(order.orderId), 'WaitStateEntered'));
    const before = await historyOf(inWait[0]?.orderId);
    expect(has(before, 'WaitStateExited')).toBe(false);

    expect(await cloud.stop()).toBe(0);
    await cloud.start();
    const secret = await loadOrCreateLocalSecret(auth, 'CARRIER_WEBHOOK_SECRET');
    const dynamodb = cloud.client((c) => new DynamoDBClient(c), cloud.ports.dynamodb);
    const document = DynamoDBDocumentClient.from(dynamodb);
    for (const order of waitingOnToken)
      await pickUp(api, secret, await shipmentOf(dynamodb, order.orderId ?? ''));
    const orders = [...waitingOnToken, ...inWait];
    await untilAllEnded(document, e2e.ordersTable, orders);

    expect(orders.map((order) => order.status)).toEqual(orders.map(() => 'SHIPPED'));
    expect(await chargesOf(document, e2e.paymentLedgerTable, orders)).toMatchObject({
      charges: 10,
      doubleCharges: 0,
      chargedNotRefunded: 0,
    });
    // The history of an order that waited goes on after the restart: the same events, then the rest.
    const after = await historyOf(inWait[0]?.orderId);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((event) => event.id)).toEqual(after.map((_, index) => index + 1));
    expect(after.filter((event) => event.type === 'WaitStateEntered')).toHaveLength(2);
    expect(after.at(-1)?.type).toBe('ExecutionSucceeded');
    sfn.destroy();
    dynamodb.destroy();
  });
});

describe('a crash in the local cloud', () => {
  it('stops everything and exits non-zero, naming what died, when DynamoDB Local dies', async () => {
    const cloud = new OwnCloud(await freePorts(), '1');
    try {
      await cloud.start();
      const jvm = processListening(cloud.ports.dynamodb);
      process.kill(jvm, 'SIGKILL');

      const code = await cloud.process?.exited;

      expect(code).toBe(1);
      expect(cloud.process?.output()).toContain('DynamoDB Local died');
      await until(
        async () => !(await answers(cloud.ports.http)) && !(await answers(cloud.ports.stepFunctions)),
      );
    } finally {
      await cloud.dispose();
    }
  });
});

function address(postalCode: string) {
  return { name: 'Ada Lovelace', line1: '1 Analytical St', city: 'London', postalCode, country: 'GB' };
}

async function until(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await sleep(200);
}

async function shipmentOf(dynamodb: DynamoDBClient, orderId: string): Promise<string> {
  for (;;) {
    const found = await dynamodb.send(
      new ScanCommand({
        TableName: e2e.shipmentsTable,
        FilterExpression: 'orderId = :orderId',
        ExpressionAttributeValues: { ':orderId': { S: orderId } },
      }),
    );
    const id = found.Items?.[0]?.shipmentId?.S;
    if (id) return id;
    await sleep(200);
  }
}

/** The carrier's signed PICKED_UP webhook, as a real carrier integration sends it. */
async function pickUp(api: string, secret: string, shipmentId: string): Promise<void> {
  const body = JSON.stringify({ shipmentId, type: 'PICKED_UP' });
  const response = await fetch(`${api}/shipments/${shipmentId}/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signWebhookPayload(secret, body, new Date()),
    },
    body,
  });
  expect(`${response.status} ${await response.text()}`).toMatch(/^2\d\d /);
}

/** The pid of the process listening on 127.0.0.1:port (DynamoDB Local's JVM), from /proc. */
function processListening(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inode = ['/proc/net/tcp', '/proc/net/tcp6']
    .flatMap((table) => readFileSync(table, 'utf8').split('\n'))
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')?.[9];
  if (!inode) throw new Error(`nothing listens on port ${port}`);
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const fds = readdirSync(`/proc/${pid}/fd`);
      if (fds.some((fd) => safeReadlink(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`)) return Number(pid);
    } catch {
      // A process that ended or is not ours to read.
    }
  }
  throw new Error(`no process owns the socket on port ${port}`);
}

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

async function answers(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}
