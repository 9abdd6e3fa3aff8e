/**
 * npm run bench [-- --quick] [--orders N] [--concurrency C] [--cold-start]
 * Cold start per handler, the local cloud end to end, the engine ceiling and the workflow-test speed, each next
 * to a floor measured in the same run (the machine is shared and noisy: the ratios are what to compare).
 * Prints a table and writes reports/bench.json. --cold-start stops after the cold-start table (no local cloud, no
 * report file).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud } from '../../local/cloud';
import { measureColdStarts, type HandlerResult } from './cold-start';
import { readBenchConfig } from './config';
import { clients, loadTest, measureFloors, type Floors, type LoadResult } from './e2e';
import { engineCeiling, InProcessOrders, type PerOrder } from './in-process';
import { round } from './util';
import { freePorts } from '../../local/ports';

const ROOT = join(__dirname, '..', '..');
/**
 * Waits and retries at 10 % of AWS time (a tok_visa order's only wait is the fulfilment's 10 s Wait: 1 s). Not 1 %:
 * the scaled TimeoutSeconds/HeartbeatSeconds must stay above what a task takes on a loaded local cloud (at 0.01 the
 * 300 s pickup heartbeat is 3 s), or the run measures timeouts instead of orders.
 */
const TIME_SCALE = 0.1;
const TARGET_RATIO = 1.3;
/** Where the deploy bundles of this run go (reports/ is git-ignored); removed at the end. */
const BUNDLES = 'reports/.bench-bundles';

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      orders: { type: 'string' },
      concurrency: { type: 'string' },
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
    orders: positive(values.orders, quick ? 60 : 500, 'orders'),
    concurrency: positive(values.concurrency, 20, 'concurrency'),
    initRuns: quick ? 10 : 20,
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

  log('starting the local cloud on free ports (in-memory DynamoDB)…');
  const cloud = await startLocalCloud({
    ports: await freePorts(),
    timeScale: TIME_SCALE,
    log: () => {},
  });
  // Ctrl-C during a run: stop the local cloud (DynamoDB Local's JVM, the Lambda workers) before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cloud.stop().finally(() => process.exit(130)));
  }
  let inProcess: InProcessOrders | undefined;
  const aws = clients(cloud);
  try {
    log(
      `end to end: warm-up of ${opts.concurrency} orders, then ${opts.orders} orders at concurrency ${opts.concurrency}…`,
    );
    await loadTest(cloud, aws, {
      orders: opts.concurrency,
      concurrency: opts.concurrency,
      timeoutMs: 60_000,
    });
    const load = await loadTest(cloud, aws, { ...opts, timeoutMs: 60_000 + opts.orders * 200 });

    log('floors: DynamoDB Local PutItem, local Lambda invokes, Step Functions Pass transitions…');
    const floors = await measureFloors(cloud, aws, {
      operations: opts.floorOperations,
      executions: opts.floorExecutions,
      concurrency: opts.concurrency,
    });

    log(
      'per-order operations (real handlers in process, DynamoDB calls counted), engine ceiling, workflow test…',
    );
    inProcess = await InProcessOrders.start(config, cloud.urls.dynamodb, BUNDLES);
    const perOrder = await inProcess.perOrder();
    const engine = await engineCeiling(opts.engineExecutions, opts.concurrency);
    const workflow = await inProcess.exhaustedRetry(opts.workflowRuns);

    const report = buildReport({ handlers, load, floors, perOrder, engine, workflow });
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    writeFileSync(join(ROOT, 'reports', 'bench.json'), `${JSON.stringify(report.json, null, 2)}\n`);
    console.log(`\n${report.text}\n`);
    log(`wrote reports/bench.json in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  } finally {
    await inProcess?.stop();
    aws.destroy();
    await cloud.stop();
    rmSync(bundles, { recursive: true, force: true });
  }
}

interface Results {
  handlers: HandlerResult[];
  load: LoadResult;
  floors: Floors;
  perOrder: PerOrder;
  engine: { executionsPerSec: number; checkDefinitionMs: number };
  workflow: { fakeMs: number; realMs: number };
}

function machine() {
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30),
    freeMemoryGiB: round(freemem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function buildReport(r: Results) {
  const ceilings = {
    'DynamoDB Local': r.floors.dynamoDbWritesPerSec / r.perOrder.writes,
    'local Lambda service': r.floors.lambdaInvokesPerSec / r.perOrder.invokes,
    'Step Functions service': r.floors.sfnTransitionsPerSec / r.perOrder.transitions,
  };
  const [bottleneck, ceilingPerSec] = Object.entries(ceilings).sort((a, b) => a[1] - b[1])[0] ?? ['?', NaN];
  const json = {
    machine: machine(),
    handlers: r.handlers.map(({ name, bundleBytes, floorBundleBytes, initMs, floorInitMs }) => ({
      name,
      bundleBytes,
      floorBundleBytes,
      initMs: round(initMs),
      floorInitMs: round(floorInitMs),
    })),
    e2e: {
      orders: r.load.orders,
      concurrency: r.load.concurrency,
      acceptedPerSec: round(r.load.acceptedPerSec),
      completedPerSec: round(r.load.completedPerSec),
      p50Ms: r.load.p50Ms,
      p95Ms: r.load.p95Ms,
      p99Ms: r.load.p99Ms,
      errors: r.load.errors,
      ceilingPerSec: round(ceilingPerSec),
      perOrder: {
        writes: r.perOrder.writes,
        reads: r.perOrder.reads,
        invokes: r.perOrder.invokes,
        transitions: r.perOrder.transitions,
      },
    },
    engine: {
      executionsPerSec: round(r.engine.executionsPerSec),
      checkDefinitionMs: round(r.engine.checkDefinitionMs),
    },
    workflow: { fakeMs: round(r.workflow.fakeMs), realMs: r.workflow.realMs },
  };

  const lines: string[] = [];
  lines.push(`Machine: ${machineLine()}`);
  lines.push('');
  lines.push(...coldStartLines(r.handlers));
  lines.push('');
  const l = r.load;
  lines.push(
    `End to end: ${l.orders} tok_visa orders at concurrency ${l.concurrency}, time scale ${TIME_SCALE}`,
  );
  lines.push(
    table(
      [
        'accepted/s',
        'completed/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'errors',
        'ceiling/s',
        'e2e ÷ ceiling',
        'e2e ÷ engine',
      ],
      [
        [
          l.acceptedPerSec.toFixed(1),
          l.completedPerSec.toFixed(1),
          String(l.p50Ms),
          String(l.p95Ms),
          String(l.p99Ms),
          String(l.errors),
          ceilingPerSec.toFixed(1),
          (l.completedPerSec / ceilingPerSec).toFixed(2),
          (l.completedPerSec / r.engine.executionsPerSec).toFixed(3),
        ],
      ],
    ),
  );
  if (l.errors > 0) lines.push(`Errors: ${JSON.stringify(l.errorKinds)}`);
  lines.push(
    `Where the time goes (median ms per order): ${Object.entries(l.legs)
      .map(([leg, ms]) => `${leg} ${ms}`)
      .join(' · ')}`,
  );
  const p = r.perOrder;
  lines.push(
    `Per order: ${p.writes} writes, ${p.reads} reads, ${p.invokes} invokes, ${p.transitions} transitions — DynamoDB: ${Object.entries(
      p.dynamodb,
    )
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')}`,
  );
  lines.push(
    table(
      ['component', 'floor', 'per order', 'orders/s ceiling'],
      [
        [
          'DynamoDB Local',
          `${r.floors.dynamoDbWritesPerSec.toFixed(0)} writes/s`,
          `${p.writes} writes`,
          ceilings['DynamoDB Local'].toFixed(1),
        ],
        [
          'local Lambda service',
          `${r.floors.lambdaInvokesPerSec.toFixed(0)} invokes/s`,
          `${p.invokes} invokes`,
          ceilings['local Lambda service'].toFixed(1),
        ],
        [
          'Step Functions service',
          `${r.floors.sfnTransitionsPerSec.toFixed(0)} transitions/s`,
          `${p.transitions} transitions`,
          ceilings['Step Functions service'].toFixed(1),
        ],
      ],
    ),
  );
  lines.push(
    `Ceiling: ${bottleneck}. Targets: e2e ≥ 0.5 × ceiling ${mark(l.completedPerSec >= 0.5 * ceilingPerSec)}, p99 ≤ 2 s ${mark(l.p99Ms <= 2000)}, errors 0 ${mark(l.errors === 0)}, ≥ 100 completed/s (stretch) ${mark(l.completedPerSec >= 100)}`,
  );
  lines.push('');
  lines.push(
    `Engine ceiling: order ASL in process, no-op tasks: ${r.engine.executionsPerSec.toFixed(0)} executions/s; e2e ÷ engine = ${(l.completedPerSec / r.engine.executionsPerSec).toFixed(2)}; ${(1000 / r.engine.executionsPerSec).toFixed(1)} ms per execution. Validating a new definition (checkDefinition: asl-validator; once per definition, not per execution) takes ${r.engine.checkDefinitionMs.toFixed(0)} ms (median of 5 fresh copies)`,
  );
  lines.push(
    `Workflow test, exhausted retry (tok_processing_error): ${r.workflow.fakeMs.toFixed(0)} ms on the fake clock vs ${r.workflow.realMs / 1000} s of waits on AWS = ${(r.workflow.fakeMs / r.workflow.realMs).toFixed(4)}×`,
  );
  return { json, text: lines.join('\n') };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const ratio = (value: number, floor: number) => `${(value / floor).toFixed(2)}×`;
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

function machineLine(): string {
  const m = machine();
  return `${m.nproc} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}`;
}

/** The cold-start table, the floor of the first handler and each bundle's heaviest inputs. */
function coldStartLines(handlers: HandlerResult[]): string[] {
  const lines: string[] = [];
  lines.push('Cold start (esbuild as serverless.yml; init = require + take handler, fresh node, median)');
  lines.push(
    table(
      ['handler', 'bundle', 'floor', 'ratio', 'init ms', 'floor ms', 'ratio', `≤ ${TARGET_RATIO}×`],
      handlers.map((h) => [
        h.name,
        kb(h.bundleBytes),
        kb(h.floorBundleBytes),
        ratio(h.bundleBytes, h.floorBundleBytes),
        h.initMs.toFixed(1),
        h.floorInitMs.toFixed(1),
        ratio(h.initMs, h.floorInitMs),
        `${mark(h.bundleBytes <= TARGET_RATIO * h.floorBundleBytes)} / ${mark(h.initMs <= TARGET_RATIO * h.floorInitMs)}`,
      ]),
    ),
  );
  const first = handlers[0];
  if (first) {
    lines.push(`Floor of ${first.name}: ${first.floorImports.join('; ')}`);
  }
  lines.push('Top contributors to each bundle (KB in the output):');
  for (const h of handlers) {
    lines.push(
      `  ${h.name}: ${h.topInputs.map((i) => `${i.input} ${(i.bytes / 1024).toFixed(0)}`).join(', ')}`,
    );
  }
  return lines;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

main().catch((error: unknown) => {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
