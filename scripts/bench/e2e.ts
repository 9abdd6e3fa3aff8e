/**
 * Local end to end: the whole local cloud under load, and in the same run each component's own ceiling
 * (DynamoDB Local writes/s, local Lambda service invokes/s, our Step Functions service's transitions/s).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateStateMachineCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCAL_ACCOUNT_ID, type LocalCloud } from '../../local';
import { BENCH_CUSTOMER, ORDER_BODY } from './in-process';
import { median, quantile, runConcurrently, throughput } from './util';

export interface LoadResult {
  orders: number;
  concurrency: number;
  acceptedPerSec: number;
  completedPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  /** Median milliseconds of each leg: POST -> 202, POST -> PENDING written, PENDING -> VALIDATED, ... */
  legs: Record<string, number>;
  /** What went wrong, grouped (empty when errors is 0). */
  errorKinds: Record<string, number>;
}

export interface Floors {
  dynamoDbWritesPerSec: number;
  lambdaInvokesPerSec: number;
  sfnTransitionsPerSec: number;
}

interface Sent {
  sentAt: number;
  answeredAt: number;
  orderId?: string;
  error?: string;
}

interface StoredOrder {
  orderId: string;
  status: string;
  history: { status: string; at: string }[];
}

const PASS_MACHINE = {
  Comment:
    'Bench floor: the order workflow shape (three steps and an end: four transitions), Pass states only.',
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Next: 'B' },
    B: { Type: 'Pass', Next: 'C' },
    C: { Type: 'Pass', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};
const PASS_TRANSITIONS = 4;

export function clients(cloud: LocalCloud) {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const common = { region: cloud.config.region, credentials };
  const dynamodb = new DynamoDBClient({ ...common, endpoint: cloud.urls.dynamodb });
  return {
    document: DynamoDBDocumentClient.from(dynamodb),
    lambda: new LambdaClient({ ...common, endpoint: cloud.urls.lambda }),
    sfn: new SFNClient({ ...common, endpoint: cloud.urls.stepFunctions }),
    destroy() {
      dynamodb.destroy();
      this.lambda.destroy();
      this.sfn.destroy();
    },
  };
}

export type Clients = ReturnType<typeof clients>;

function ordersTable(cloud: LocalCloud): string {
  const table = cloud.config.tables.find((t) => t.TableName?.endsWith('-orders'))?.TableName;
  if (!table) throw new Error('serverless.yml defines no orders table');
  return table;
}

/**
 * POSTs `orders` tok_visa orders at `concurrency`, then reads the orders from DynamoDB until each is SHIPPED or
 * FAILED. Latency runs from the moment the POST was sent to the SHIPPED entry of the order's own history.
 */
export async function loadTest(
  cloud: LocalCloud,
  aws: Clients,
  { orders, concurrency, timeoutMs }: { orders: number; concurrency: number; timeoutMs: number },
): Promise<LoadResult> {
  const sent: Sent[] = [];
  const body = JSON.stringify(ORDER_BODY);
  // One token for the whole run, from the local cloud's issuer: the gateway enforces the JWT authorizer.
  const authorization = `Bearer ${cloud.issuer.sign(BENCH_CUSTOMER)}`;
  const firstSentAt = Date.now();
  await runConcurrently(orders, concurrency, async () => {
    const sentAt = Date.now();
    try {
      const response = await fetch(`${cloud.urls.api}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
      });
      const json = (await response.json()) as { orderId?: string };
      const answeredAt = Date.now();
      sent.push(
        response.status === 202 && json.orderId
          ? { sentAt, answeredAt, orderId: json.orderId }
          : { sentAt, answeredAt, error: `HTTP ${response.status}` },
      );
    } catch (error) {
      sent.push({ sentAt, answeredAt: Date.now(), error: error instanceof Error ? error.name : 'Error' });
    }
  });
  const accepted = sent.filter((s) => s.orderId !== undefined);
  const lastAnsweredAt = Math.max(...sent.map((s) => s.answeredAt));

  const wanted = new Set(accepted.map((s) => s.orderId));
  const stored = new Map<string, StoredOrder>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const order of await scanOrders(aws, ordersTable(cloud))) {
      if (wanted.has(order.orderId)) stored.set(order.orderId, order);
    }
    const terminal = [...stored.values()].filter((o) => o.status === 'SHIPPED' || o.status === 'FAILED');
    if (terminal.length >= wanted.size || Date.now() > deadline) break;
    await sleep(500);
  }

  const errorKinds: Record<string, number> = {};
  const addError = (kind: string) => (errorKinds[kind] = (errorKinds[kind] ?? 0) + 1);
  sent.filter((s) => s.error).forEach((s) => addError(`POST ${s.error}`));
  const latencies: number[] = [];
  const legs: Record<string, number[]> = { 'POST -> 202': [], 'POST -> PENDING': [] };
  let lastShippedAt = firstSentAt;
  for (const s of accepted) {
    const order = stored.get(s.orderId ?? '');
    const at = (status: string) => Date.parse(order?.history.find((h) => h.status === status)?.at ?? '');
    if (order?.status !== 'SHIPPED') {
      addError(order ? `ended ${order.status}` : 'not stored');
      continue;
    }
    const shippedAt = at('SHIPPED');
    lastShippedAt = Math.max(lastShippedAt, shippedAt);
    latencies.push(shippedAt - s.sentAt);
    legs['POST -> 202']?.push(s.answeredAt - s.sentAt);
    legs['POST -> PENDING']?.push(at('PENDING') - s.sentAt);
    const path = order.history.map((h) => h.status);
    for (let i = 1; i < path.length; i++) {
      const leg = `${path[i - 1]} -> ${path[i]}`;
      (legs[leg] ??= []).push(at(path[i] ?? '') - at(path[i - 1] ?? ''));
    }
  }
  const shipped = latencies.length;
  return {
    orders,
    concurrency,
    acceptedPerSec: accepted.length / ((lastAnsweredAt - firstSentAt) / 1000),
    completedPerSec: shipped / ((lastShippedAt - firstSentAt) / 1000),
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    p99Ms: quantile(latencies, 0.99),
    errors: orders - shipped,
    legs: Object.fromEntries(Object.entries(legs).map(([leg, values]) => [leg, median(values)])),
    errorKinds,
  };
}

async function scanOrders(aws: Clients, table: string): Promise<StoredOrder[]> {
  const items: StoredOrder[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await aws.document.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: 'orderId, #status, #history',
        ExpressionAttributeNames: { '#status': 'status', '#history': 'history' },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as StoredOrder[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Each component's own ceiling on this machine, at the same concurrency as the load. */
export async function measureFloors(
  cloud: LocalCloud,
  aws: Clients,
  { operations, executions, concurrency }: { operations: number; executions: number; concurrency: number },
): Promise<Floors> {
  // DynamoDB Local: PutItem of an order-sized item into the orders table.
  const table = ordersTable(cloud);
  const item = {
    ...ORDER_BODY,
    customerId: BENCH_CUSTOMER,
    status: 'PENDING',
    history: [{ status: 'PENDING', at: new Date().toISOString() }],
  };
  const dynamoDbWritesPerSec = await throughput(operations, concurrency, (i) =>
    aws.document
      .send(new PutCommand({ TableName: table, Item: { ...item, orderId: `bench_${i}` } }))
      .then(() => {}),
  );

  // The local Lambda service: a real function that does next to nothing (getOrder answering 400 to an id that cannot be
  // an order id, before any DynamoDB call), through the Lambda invoke endpoint the Step Functions service uses.
  const getOrder = cloud.config.functions.getOrder?.name;
  if (!getOrder) throw new Error('serverless.yml has no getOrder function');
  const payload = new TextEncoder().encode(
    JSON.stringify({ version: '2.0', rawPath: '/orders/x', pathParameters: { orderId: 'x' }, headers: {} }),
  );
  const lambdaInvokesPerSec = await throughput(Math.round(operations / 2), concurrency, async () => {
    const answer = await aws.lambda.send(new InvokeCommand({ FunctionName: getOrder, Payload: payload }));
    if (answer.FunctionError) throw new Error(`getOrder failed: ${new TextDecoder().decode(answer.Payload)}`);
  });

  // Our Step Functions service: a Pass-only machine of the order's shape, started over its API; done when none runs.
  const created = await aws.sfn.send(
    new CreateStateMachineCommand({
      name: `bench-pass-${Date.now()}`,
      definition: JSON.stringify(PASS_MACHINE),
      roleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/bench`,
    }),
  );
  const stateMachineArn = created.stateMachineArn ?? '';
  const startedAt = performance.now();
  await runConcurrently(executions, concurrency, async (i) => {
    await aws.sfn.send(new StartExecutionCommand({ stateMachineArn, name: `e${i}`, input: '{"a":1}' }));
  });
  for (;;) {
    const running = await aws.sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 }),
    );
    if ((running.executions ?? []).length === 0) break;
    await sleep(20);
  }
  const sfnTransitionsPerSec = (executions * PASS_TRANSITIONS) / ((performance.now() - startedAt) / 1000);
  return { dynamoDbWritesPerSec, lambdaInvokesPerSec, sfnTransitionsPerSec };
}
