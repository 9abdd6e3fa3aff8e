/**
 * What runs in this process against the local cloud's DynamoDB Local: the per-order operation count (the real
 * handlers through a counting proxy), the engine ceiling (the order ASL with no-op tasks) and the workflow-test
 * speed (the exhausted-retry path on the test kit's fake clock).
 */
import sampleOrder from '../../data/sample-order.json';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefinition } from '../../statemachines/load-asl';
import {
  checkDefinition,
  closeKit,
  invokeFunction,
  kitStateOf,
  realClock,
  runWorkflow as runKitWorkflow,
  startExecution,
  TaskTokens,
  useKitState,
  type ChildExecution,
  type ChildExecutionRequest,
  type InvokeTask,
  type Json,
  type JsonObject,
  type WaitingTaskInfo,
  type WorkflowResult,
  localFunctionArn,
  localStateMachineArn,
} from '../../local';
import { sandboxCarrierAnswers } from '../../test/workflow/sandbox-carrier';
import type { BenchConfig } from './config';
import { requestUnits } from './capacity-units';

/** The engine ceiling runs on its own, without serverless.yml: any region names its ARNs. */
const REGION = 'us-east-1';
import { median, runConcurrently } from './util';

export interface PerOrder {
  writes: number;
  reads: number;
  invokes: number;
  /** State transitions of every execution (what the local Step Functions service runs). */
  transitions: number;
  /** Those of Standard machines, which AWS bills by the transition. */
  standardTransitions: number;
  /** Executions of Express machines, which AWS bills by request and duration, and their billed seconds. */
  express: { executions: number; billedSeconds: number };
  /** DynamoDB calls per order by operation and table, e.g. "UpdateItem orders": 3. */
  dynamodb: Record<string, number>;
  /** On-demand request units per order (see capacity-units.ts). */
  writeUnits: number;
  readUnits: number;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const UNITS_READ = 'read units';
const UNITS_WRITE = 'write units';
const UNIT_KEYS = new Set([UNITS_READ, UNITS_WRITE]);

/** The bench's orders: the sample order (the customer is the token's subject, never a body field). */
export const ORDER_BODY: Record<string, unknown> = { ...sampleOrder };
/** The customer the bench's orders belong to: the `sub` of its tokens (e2e) or of its verified claims (in process). */
export const BENCH_CUSTOMER = 'cus_bench';

/** An execution, every child execution it started and every execution its functions started, depth first. */
function withChildren(result: WorkflowResult): WorkflowResult[] {
  return [result, ...[...result.children, ...(result.started ?? [])].flatMap(withChildren)];
}

/** The kit's runWorkflow with the sandbox carrier answering the fulfilment's pickup, as the workflow tests do. */
function runWorkflow(machine: 'order', input: Json) {
  return runKitWorkflow(machine, input, { callbacks: { RequestPickup: sandboxCarrierAnswers } });
}

/** Express workflows bill each execution's duration by the 100 ms (aws.amazon.com/step-functions/pricing). */
function billedSeconds(execution: WorkflowResult): number {
  const times = execution.events.map((event) => event.timestamp?.getTime() ?? NaN);
  const ms = Math.max(...times) - Math.min(...times);
  return Math.max(1, Math.ceil(ms / 100)) / 10;
}

export class InProcessOrders {
  private constructor(
    private readonly servers: Server[],
    private readonly dir: string,
    private readonly counts: Map<string, number>,
    private readonly started: Json[],
    /** The ASL file names of serverless.yml's Express machines. */
    private readonly expressMachines: ReadonlySet<string>,
  ) {}

  /**
   * `bundles` is the folder (relative to the repository) holding each function's deploy bundle as
   * `<key>/index.js`: the kit loads those (middy is ESM-only, which tsx cannot require from our CommonJS).
   */
  static async start(
    config: BenchConfig,
    dynamoDbEndpoint: string,
    bundles: string,
  ): Promise<InProcessOrders> {
    const dir = mkdtempSync(join(tmpdir(), 'bench-kit-'));
    const counts = new Map<string, number>();
    const started: Json[] = [];
    const proxy = await listen((req, body, res) => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
      const table =
        /"TableName":"[^"]*-([a-z]+)"/.exec(body.toString())?.[1] ??
        (operation === 'BatchGetItem' ? 'catalog' : '?');
      counts.set(`${operation} ${table}`, (counts.get(`${operation} ${table}`) ?? 0) + 1);
      const units = requestUnits(operation, JSON.parse(body.toString() || '{}') as object);
      counts.set(UNITS_READ, (counts.get(UNITS_READ) ?? 0) + units.read);
      counts.set(UNITS_WRITE, (counts.get(UNITS_WRITE) ?? 0) + units.write);
      const upstream = new URL(dynamoDbEndpoint);
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
    // Step Functions for createOrder: takes the execution input, so the kit can run it on the real engine.
    const sfn = await listen((_req, body, res) => {
      const input = JSON.parse(body.toString()) as { input: string; name: string; stateMachineArn: string };
      started.push(JSON.parse(input.input) as Json);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`,
          startDate: Date.now() / 1000,
        }),
      );
    });
    const state = kitStateOf(config, url(proxy), dir);
    for (const [key, fn] of Object.entries(state.functions)) {
      // The deploy bundle's export: middy is ESM-only, which tsx cannot require from our CommonJS sources.
      fn.handler = `${bundles}/${key}/index.${fn.handler.slice(fn.handler.lastIndexOf('.') + 1)}`;
    }
    useKitState(state);
    Object.assign(process.env, {
      AWS_REGION: config.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: url(proxy),
      AWS_ENDPOINT_URL_SFN: url(sfn),
    });
    const prefix = `${config.service}-${config.stage}-`;
    const expressMachines = config.stateMachines
      .filter((machine) => machine.type === 'EXPRESS')
      .map((machine) => machine.name.slice(prefix.length));
    return new InProcessOrders([proxy, sfn], dir, counts, started, new Set(expressMachines));
  }

  /** POST /orders through the createOrder handler; returns the execution input it started. */
  async createOrder(body: Record<string, unknown>): Promise<Json> {
    const event = {
      version: '2.0',
      routeKey: 'POST /orders',
      rawPath: '/orders',
      rawQueryString: '',
      // An Idempotency-Key as every POST of the end-to-end runs sends (the load tool's postOrder): its record is
      // part of what an order asks of DynamoDB.
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      // What the HTTP API's JWT authorizer hands the function for a verified token of the bench's customer.
      requestContext: {
        http: { method: 'POST', path: '/orders' },
        requestId: 'bench',
        stage: '$default',
        authorizer: { jwt: { claims: { sub: BENCH_CUSTOMER }, scopes: null } },
      },
      body: JSON.stringify(body),
      isBase64Encoded: false,
    };
    const answer = (await invokeFunction('createOrder', event)) as {
      statusCode?: number;
      body?: string;
    };
    if (answer.statusCode !== 202)
      throw new Error(`createOrder answered ${answer.statusCode}: ${answer.body}`);
    const input = this.started.pop();
    if (input === undefined) throw new Error('createOrder started no execution');
    return input;
  }

  /** The operations one tok_visa order costs, counted over `orders` orders (after one to load the handlers). */
  async perOrder(orders = 3): Promise<PerOrder> {
    await runWorkflow('order', await this.createOrder(ORDER_BODY));
    this.counts.clear();
    let invokes = 0;
    let transitions = 0;
    let standardTransitions = 0;
    const express = { executions: 0, billedSeconds: 0 };
    for (let i = 0; i < orders; i++) {
      const result = await runWorkflow('order', await this.createOrder(ORDER_BODY));
      if (result.status !== 'SUCCEEDED')
        throw new Error(`a tok_visa order ended ${result.status}: ${result.error}`);
      invokes += 1; // createOrder
      for (const execution of withChildren(result)) {
        // Every Lambda Task attempt (a .sync child start is not an invoke: its own tasks count in the child).
        invokes += execution.events.filter(
          (e) =>
            e.type === 'LambdaFunctionScheduled' ||
            (e.type === 'TaskScheduled' && e.taskScheduledEventDetails?.resourceType === 'lambda'),
        ).length;
        const entered = execution.events.filter((e) => e.type?.endsWith('StateEntered')).length;
        transitions += entered;
        if (this.expressMachines.has(execution.machine)) {
          express.executions += 1;
          express.billedSeconds += billedSeconds(execution);
        } else {
          standardTransitions += entered;
        }
      }
    }
    const dynamodb = Object.fromEntries(
      [...this.counts].filter(([key]) => !UNIT_KEYS.has(key)).map(([key, n]) => [key, n / orders]),
    );
    const units = (key: string) => (this.counts.get(key) ?? 0) / orders;
    const sum = (kinds: Set<string>) =>
      Object.entries(dynamodb).reduce(
        (total, [key, n]) => total + (kinds.has(key.split(' ')[0] ?? '') ? n : 0),
        0,
      );
    return {
      writes: sum(WRITES),
      reads: sum(READS),
      invokes: invokes / orders,
      transitions: transitions / orders,
      standardTransitions: standardTransitions / orders,
      express: {
        executions: express.executions / orders,
        billedSeconds: express.billedSeconds / orders,
      },
      dynamodb,
      writeUnits: units(UNITS_WRITE),
      readUnits: units(UNITS_READ),
    };
  }

  /**
   * The exhausted-retry path as a workflow test runs it (runWorkflow on the fake clock, real handlers on DynamoDB
   * Local): median real ms, and the time the same execution waits on AWS (its Retry intervals).
   */
  async exhaustedRetry(runs: number): Promise<{ fakeMs: number; realMs: number }> {
    const times: number[] = [];
    let waitedMs = 0;
    for (let i = 0; i < runs; i++) {
      const input = await this.createOrder({ ...ORDER_BODY, payment: { token: 'tok_processing_error' } });
      const startedAt = performance.now();
      const result = await runWorkflow('order', input);
      times.push(performance.now() - startedAt);
      if (result.error !== 'PaymentProcessingError')
        throw new Error(`expected PaymentProcessingError, got ${result.error}`);
      waitedMs = result.waits.reduce((total, wait) => total + wait.seconds * 1000, 0);
    }
    return { fakeMs: median(times), realMs: waitedMs };
  }

  async stop(): Promise<void> {
    await closeKit();
    await Promise.all(this.servers.map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Canned task results in the shape the order and fulfilment ASLs' ResultSelectors read. */
const NO_OP_SHIPMENT = {
  orderId: 'o',
  shipmentId: 's',
  trackingNumber: 't',
  carrier: 'c',
  service: 'STANDARD',
};
const NO_OP_RESULTS: Record<string, Json> = {
  ValidateOrder: { lines: [], total: { amount: 1, currency: 'EUR' } },
  ProcessPayment: { chargeId: 'ch_1', amount: { amount: 1, currency: 'EUR' }, status: 'CAPTURED' },
  // A direct DynamoDB updateItem (ReturnValues UPDATED_NEW): the shipment as stored.
  RecordShipment: {
    Attributes: {
      shipment: {
        M: {
          shipmentId: { S: 's' },
          trackingNumber: { S: 't' },
          carrier: { S: 'c' },
          service: { S: 'STANDARD' },
        },
      },
    },
  },
  CreateShipment: NO_OP_SHIPMENT,
  SendConfirmation: { notificationId: 'n' },
  RequestPickup: {},
};

/**
 * The order ASL on the engine in this process, tasks answering at once and the fulfilment child run the same way
 * (its pickup token answered as soon as it waits): executions per second at `concurrency`.
 */
export async function engineCeiling(
  executions: number,
  concurrency: number,
): Promise<{ executionsPerSec: number; checkDefinitionMs: number }> {
  const arnOf = (key: string, kind?: string) =>
    kind === 'stateMachine' ? localStateMachineArn(REGION, key) : localFunctionArn(REGION, key);
  const definition = loadDefinition('order', arnOf) as JsonObject;
  const fulfilment = loadDefinition('fulfilment', arnOf) as JsonObject;
  const invokeTask: InvokeTask = (_target, _input, task) => NO_OP_RESULTS[task.stateName] ?? {};
  const tokens = new TaskTokens();
  const common = {
    invokeTask,
    // Not 0: a scale of 0 would also make every TimeoutSeconds expire at once. 0.001: the 10 s Wait takes 10 ms.
    clock: realClock(0.001),
    taskTokens: tokens,
    onTaskWaiting: (task: WaitingTaskInfo) =>
      tokens.sendTaskSuccess(task.token, JSON.stringify({ pickedUpAt: 'now' })),
  };
  const startChildExecution = (request: ChildExecutionRequest): ChildExecution => {
    const name = request.name ?? randomUUID();
    const executionArn = `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const handle = startExecution({
      ...common,
      definition: fulfilment,
      input: JSON.parse(request.input) as Json,
      name,
      stateMachineArn: request.stateMachineArn,
      executionArn,
    });
    return { executionArn, stateMachineArn: request.stateMachineArn, name, input: request.input, handle };
  };
  // The order workflow's input as createOrder starts it: the order id and a payment method reference, nothing else.
  const input = { orderId: 'o', paymentMethod: 'pm_000000000000000000000000' };
  const machine = localStateMachineArn(REGION, 'bench');
  const one = async (i: number) => {
    const execution = startExecution({
      ...common,
      startChildExecution,
      definition,
      input: { ...input, orderId: `o${i}` },
      name: `e${i}`,
      stateMachineArn: machine,
      executionArn: `${machine}:e${i}`,
    });
    await execution.done;
    if (execution.status !== 'SUCCEEDED')
      throw new Error(`no-op execution ended ${execution.status}: ${execution.error} ${execution.cause}`);
  };
  await runConcurrently(concurrency, concurrency, one);
  const startedAt = performance.now();
  await runConcurrently(executions, concurrency, one);
  const executionsPerSec = executions / ((performance.now() - startedAt) / 1000);
  // What validating a definition costs (asl-validator): CreateStateMachine and UpdateStateMachine pay it, and the
  // first StartExecution of a definition text; checkDefinition then remembers the object, so each check here gets a
  // fresh copy (timing the same object again would time a cache lookup).
  const checks: number[] = [];
  for (let i = 0; i < 5; i++) {
    const copy = structuredClone(definition);
    const checkedAt = performance.now();
    checkDefinition(copy);
    checks.push(performance.now() - checkedAt);
  }
  return { executionsPerSec, checkDefinitionMs: median(checks) };
}

type Handle = (req: IncomingMessage, body: Buffer, res: import('node:http').ServerResponse) => void;

function listen(handle: Handle): Promise<Server> {
  const server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks), res));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function url(server: Server): string {
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
