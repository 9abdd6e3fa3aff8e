/**
 * npm run bench [-- --quick] [--rate N] [--cold-start]
 * Cold start per handler; the local cloud end to end, open loop (the saturation rate, the latency at half of it);
 * each component's floor measured in the same run; what an order costs on AWS; the engine ceiling; the workflow
 * suite's time. The machine is shared and noisy: the ratios are what to compare. Prints the tables, writes
 * reports/bench.json and, for a full run, the README's and docs/benchmarks.md's figures between their markers.
 * --cold-start stops after the cold-start table (no local cloud, no report file).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { concurrencyLimitsFromEnv, freePorts, startLocalCloud } from '../../local';
import { measureColdStarts } from './cold-start';
import { readBenchConfig, type BenchConfig } from './config';
import { costOf } from './cost';
import { clients, measureFloors } from './e2e';
import { measureEndToEnd } from './end-to-end';
import { engineCeiling, InProcessOrders } from './in-process';
import { orderUsage } from './order-usage';
import { buildReport, coldStartLines, machineLine } from './report';
import { writeFigures } from './figures';
import { measureWorkflowSuite } from './workflow-suite';

const ROOT = join(__dirname, '..', '..');
/**
 * Waits and retries at 10 % of AWS time (a tok_visa order's only wait is the fulfilment's 10 s Wait: 1 s). Not 1 %:
 * the scaled TimeoutSeconds/HeartbeatSeconds must stay above what a task takes on a loaded local cloud (at 0.01 the
 * 300 s pickup heartbeat is 3 s), or the run measures timeouts instead of orders.
 */
const TIME_SCALE = 0.1;
/** Where the deploy bundles of this run go (reports/ is git-ignored); removed at the end. */
const BUNDLES = 'reports/.bench-bundles';

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      rate: { type: 'string' },
      'cold-start': { type: 'boolean', default: false },
    },
  });
  const quick = values.quick;
  const positive = (raw: string | undefined, fallback: number, flag: string) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${flag} must be a positive integer, got ${raw}`);
    return value;
  };
  return {
    quick,
    coldStartOnly: values['cold-start'],
    // Offered during the saturation run: above what this machine's local cloud completes (~20/s on 2 cores).
    saturationRate: positive(values.rate, 60, 'rate'),
    // --quick: the fewest that keep its figures within the full run's spread (docs/benchmarks.md).
    saturationOrders: quick ? 160 : 900,
    warmUpOrders: quick ? 40 : 200,
    halfRateSeconds: quick ? 6 : 30,
    // Floors and the engine ceiling are driven at the Lambda concurrency's order of magnitude.
    concurrency: 20,
    initRuns: quick ? 3 : 20,
    floorOperations: quick ? 600 : 2000,
    // Our Step Functions service and engine manage a few dozen executions a second here: fewer of them.
    floorExecutions: quick ? 100 : 300,
    engineExecutions: quick ? 100 : 500,
    workflowRuns: quick ? 3 : 10,
  };
}

const began = Date.now();
const log = (line: string) =>
  console.log(`[bench ${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s] ${line}`);

async function main(): Promise<void> {
  const opts = options();
  const startedAt = Date.now();
  log(`reading serverless.yml (serverless print)…`);
  const config = await readBenchConfig();

  log(
    `cold start: bundling ${Object.keys(config.functions).length} handlers and their floors, ${opts.initRuns} inits each…`,
  );
  const bundles = join(ROOT, BUNDLES);
  rmSync(bundles, { recursive: true, force: true });
  const handlers = await measureColdStarts(config, { runs: opts.initRuns, dir: bundles, log });
  if (opts.coldStartOnly) {
    rmSync(bundles, { recursive: true, force: true });
    console.log(`\nMachine: ${machineLine()}\n\n${coldStartLines(handlers).join('\n')}\n`);
    return;
  }

  const measured = await measureOnLocalCloud(config, opts).finally(() =>
    rmSync(bundles, { recursive: true, force: true }),
  );
  log('workflow suite (npm run test:workflow)…');
  const workflowSuite = await measureWorkflowSuite();
  const { e2e, perOrder } = measured;
  const cost = costOf(
    orderUsage(config, perOrder, {
      orders: e2e.halfRate.orders,
      durations: e2e.durations,
      logBytes: e2e.logBytes,
    }),
  );
  const report = buildReport({ ...measured, handlers, timeScale: TIME_SCALE, workflowSuite, cost });
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(join(ROOT, 'reports', 'bench.json'), `${JSON.stringify(report.json, null, 2)}\n`);
  console.log(`\n${report.text}\n`);
  if (!opts.quick) await writeFigures(ROOT, report);
  const figures = opts.quick ? '' : ' and the figures of README.md and docs/benchmarks.md';
  log(`wrote reports/bench.json${figures} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}

/** Everything measured against one local cloud (in-memory DynamoDB, free ports), stopped at the end. */
async function measureOnLocalCloud(config: BenchConfig, opts: ReturnType<typeof options>) {
  log('starting the local cloud on free ports (in-memory DynamoDB)…');
  const logBytes = { count: 0 };
  const limits = concurrencyLimitsFromEnv();
  const cloud = await startLocalCloud({
    ports: await freePorts(),
    timeScale: TIME_SCALE,
    limits,
    log: () => {},
    functionLog: (_key, line) => (logBytes.count += Buffer.byteLength(line) + 1),
  });
  // Ctrl-C during a run: stop the local cloud (DynamoDB Local's JVM, the Lambda workers) before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cloud.stop().finally(() => process.exit(130)));
  }
  let inProcess: InProcessOrders | undefined;
  const aws = clients(cloud);
  try {
    const e2e = await measureEndToEnd(cloud, aws, logBytes, { ...opts, timeScale: TIME_SCALE, log });
    log('floors: DynamoDB Local PutItem and GetItem, local Lambda invokes, Step Functions Pass transitions…');
    const floors = await measureFloors(cloud, aws, {
      operations: opts.floorOperations,
      executions: opts.floorExecutions,
      concurrency: opts.concurrency,
    });
    log('per-order operations (real handlers in process, DynamoDB calls counted), engine ceiling…');
    inProcess = await InProcessOrders.start(config, cloud.urls.dynamodb, BUNDLES);
    const perOrder = await inProcess.perOrder();
    const engine = await engineCeiling(opts.engineExecutions, opts.concurrency);
    const workflow = await inProcess.exhaustedRetry(opts.workflowRuns);
    return { e2e, floors, perOrder, engine, workflow, lambdaConcurrency: limits.total };
  } finally {
    await inProcess?.stop();
    aws.destroy();
    await cloud.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
