/**
 * Local end to end: the whole local cloud under load, and in the same run each component's own ceiling
 * (DynamoDB Local writes/s, local Lambda service invokes/s, our Step Functions service's transitions/s).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
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
import type { TrackedOrder } from '../load/orders';
import { ordersTable } from './saturation';
import { median, runConcurrently, throughput } from './util';

export interface Floors {
  dynamoDbWritesPerSec: number;
  dynamoDbReadsPerSec: number;
  lambdaInvokesPerSec: number;
  sfnTransitionsPerSec: number;
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

/**
 * Median milliseconds of each leg of the shipped orders: POST -> 202, POST -> PENDING written, then each status
 * change of the order's own history (PENDING -> VALIDATED, ...).
 */
export async function legsOf(
  cloud: LocalCloud,
  aws: Clients,
  orders: readonly TrackedOrder[],
): Promise<Record<string, number>> {
  const stored = new Map((await scanOrders(aws, ordersTable(cloud))).map((o) => [o.orderId, o]));
  const legs: Record<string, number[]> = { 'POST -> 202': [], 'POST -> PENDING': [] };
  for (const sent of orders) {
    const order = stored.get(sent.orderId ?? '');
    if (order?.status !== 'SHIPPED') continue;
    const at = (status: string) => Date.parse(order.history.find((h) => h.status === status)?.at ?? '');
    legs['POST -> 202']?.push((sent.answeredAt ?? NaN) - sent.sentAt);
    legs['POST -> PENDING']?.push(at('PENDING') - sent.sentAt);
    const path = order.history.map((h) => h.status);
    for (let i = 1; i < path.length; i++) {
      (legs[`${path[i - 1]} -> ${path[i]}`] ??= []).push(at(path[i] ?? '') - at(path[i - 1] ?? ''));
    }
  }
  return Object.fromEntries(Object.entries(legs).map(([leg, values]) => [leg, median(values)]));
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

/** Runs `round` until a round starts no new Lambda environment, at most `maxRounds` times. */
export async function repeatUntilWarm(
  cloud: LocalCloud,
  maxRounds: number,
  round: (index: number) => Promise<unknown>,
): Promise<void> {
  for (let index = 1; index <= maxRounds; index++) {
    const coldStarts = cloud.lambda.pool.stats.coldStarts;
    await round(index);
    if (cloud.lambda.pool.stats.coldStarts === coldStarts) return;
  }
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
  // GetItem of those orders: the reads an order makes load DynamoDB Local too.
  const dynamoDbReadsPerSec = await throughput(operations, concurrency, (i) =>
    aws.document
      .send(new GetCommand({ TableName: table, Key: { orderId: `bench_${i % operations}` } }))
      .then(() => {}),
  );

  // The local Lambda service: a real function that does next to nothing (getOrder answering 400 to an id that cannot be
  // an order id, before any DynamoDB call), through the Lambda invoke endpoint the Step Functions service uses.
  const getOrder = cloud.config.functions.getOrder?.name;
  if (!getOrder) throw new Error('serverless.yml has no getOrder function');
  const payload = new TextEncoder().encode(
    JSON.stringify({ version: '2.0', rawPath: '/orders/x', pathParameters: { orderId: 'x' }, headers: {} }),
  );
  const invoke = async () => {
    const answer = await aws.lambda.send(new InvokeCommand({ FunctionName: getOrder, Payload: payload }));
    if (answer.FunctionError) throw new Error(`getOrder failed: ${new TextDecoder().decode(answer.Payload)}`);
  };
  // The end to end never calls getOrder: its environments start here, a few at a time (LAMBDA_STARTING_ENVIRONMENTS),
  // until a round at this concurrency needs no new one. The floor is warm invokes, not cold starts.
  await repeatUntilWarm(cloud, 20, () => runConcurrently(concurrency * 2, concurrency, invoke));
  const lambdaInvokesPerSec = await throughput(Math.round(operations / 2), concurrency, invoke);

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
  return { dynamoDbWritesPerSec, dynamoDbReadsPerSec, lambdaInvokesPerSec, sfnTransitionsPerSec };
}
