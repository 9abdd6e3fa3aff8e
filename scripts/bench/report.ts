/**
 * reports/bench.json and the tables the bench prints, from one run's results. The README's benchmark figures are
 * this text (written by the bench between markers), never edited by hand.
 */
import { cpus, freemem, totalmem } from 'node:os';
import type { HandlerResult } from './cold-start';
import { formatCost, type OrderCost } from './cost';
import type { Floors } from './e2e';
import type { EndToEnd } from './end-to-end';
import type { PerOrder } from './in-process';
import { round } from './util';

export const TARGET_RATIO = 1.3;

export interface Results {
  handlers: HandlerResult[];
  e2e: EndToEnd;
  lambdaConcurrency: number;
  timeScale: number;
  floors: Floors;
  perOrder: PerOrder;
  engine: { executionsPerSec: number; checkDefinitionMs: number };
  workflow: { fakeMs: number; realMs: number };
  workflowSuite: { ms: number; tests: number; passed: boolean };
  cost: OrderCost;
}

export function machine() {
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30),
    freeMemoryGiB: round(freemem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function machineLine(): string {
  const m = machine();
  return `${m.nproc} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}`;
}

/**
 * Each component's ceiling in orders/s: its own floor over what one order asks of it. DynamoDB Local serves an
 * order's reads as well as its writes, so its ceiling counts both at their measured rates.
 */
export function ceilings(r: Pick<Results, 'floors' | 'perOrder'>): Record<string, number> {
  const { floors, perOrder } = r;
  return {
    'DynamoDB Local':
      1 / (perOrder.writes / floors.dynamoDbWritesPerSec + perOrder.reads / floors.dynamoDbReadsPerSec),
    'local Lambda service': floors.lambdaInvokesPerSec / perOrder.invokes,
    'Step Functions service': floors.sfnTransitionsPerSec / perOrder.transitions,
  };
}

export function buildReport(r: Results) {
  const byCeiling = Object.entries(ceilings(r)).sort((a, b) => a[1] - b[1]);
  const [bottleneck, ceilingPerSec] = byCeiling[0] ?? ['?', NaN];
  const { saturation, halfRate } = r.e2e;
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
      orders: saturation.orders + halfRate.orders,
      /** The local Lambda service's concurrency (open-loop: the client has none). */
      concurrency: r.lambdaConcurrency,
      acceptedPerSec: round(saturation.acceptedPerSec),
      /** At saturation. */
      completedPerSec: round(saturation.completedPerSec),
      /** Latencies at half the saturation rate. */
      p50Ms: halfRate.p50Ms,
      p95Ms: halfRate.p95Ms,
      p99Ms: halfRate.p99Ms,
      p99OverheadMs: halfRate.p99OverheadMs,
      designedWaitMs: halfRate.designedWaitMs,
      errors: saturation.errors + halfRate.errors,
      ceilingPerSec: round(ceilingPerSec),
      bottleneck,
      timeScale: r.timeScale,
      saturation: rounded(saturation),
      halfRate: rounded(halfRate),
      legs: r.e2e.legs,
      cpuPerOrderMs: r.e2e.cpuPerOrderMs,
      perOrder: {
        writes: r.perOrder.writes,
        reads: r.perOrder.reads,
        invokes: r.perOrder.invokes,
        transitions: r.perOrder.transitions,
        writeUnits: r.perOrder.writeUnits,
        readUnits: r.perOrder.readUnits,
      },
    },
    engine: {
      executionsPerSec: round(r.engine.executionsPerSec),
      checkDefinitionMs: round(r.engine.checkDefinitionMs),
    },
    workflow: { fakeMs: round(r.workflow.fakeMs), realMs: r.workflow.realMs },
    workflowSuiteMs: Math.round(r.workflowSuite.ms),
    workflowSuiteTests: r.workflowSuite.tests,
    cost: {
      perMillionOrdersUsd: round(r.cost.perMillionOrdersUsd, 2),
      breakdown: r.cost.breakdown.map(({ part, usd, share }) => ({
        part,
        usd: round(usd, 2),
        share: round(share, 3),
      })),
      dominant: r.cost.dominant,
    },
  };
  const text = [
    `Machine: ${machineLine()}`,
    '',
    ...coldStartLines(r.handlers),
    '',
    ...endToEndLines(r, bottleneck, ceilingPerSec),
    '',
    formatCost(r.cost),
    '',
    ...engineLines(r),
  ].join('\n');
  return { json, text };
}

function rounded<T extends object>(run: T): T {
  return Object.fromEntries(
    Object.entries(run).map(([key, value]) => [key, typeof value === 'number' ? round(value) : value]),
  ) as T;
}

function endToEndLines(r: Results, bottleneck: string, ceilingPerSec: number): string[] {
  const { saturation: s, halfRate: h, legs } = r.e2e;
  const c = ceilings(r);
  const p = r.perOrder;
  return [
    `End to end, open loop (tok_visa orders, time scale ${r.timeScale}, LAMBDA_CONCURRENCY ${r.lambdaConcurrency})`,
    table(
      [
        'run',
        'offered/s',
        'orders',
        'completed/s',
        'p50 ms',
        'p99 ms',
        'designed waits ms',
        'p99 overhead ms',
        '503s',
        'errors',
      ],
      [s, h].map((run, i) => [
        i === 0 ? 'saturation' : 'half rate',
        run.offeredPerSec.toFixed(1),
        String(run.orders),
        run.completedPerSec.toFixed(1),
        String(run.p50Ms),
        String(run.p99Ms),
        String(run.designedWaitMs),
        String(run.p99OverheadMs),
        String(run.throttled),
        String(run.errors),
      ]),
    ),
    `Where the time goes at half rate (median ms per order): ${Object.entries(legs)
      .map(([leg, ms]) => `${leg} ${ms}`)
      .join(' · ')}`,
    `Where the CPU goes at saturation (ms per order, ${cpuTotal(r.e2e.cpuPerOrderMs)} in all on ${machine().nproc} cores): ${Object.entries(
      r.e2e.cpuPerOrderMs,
    )
      .map(([component, ms]) => `${component} ${ms}`)
      .join(' · ')}`,
    `Per order: ${p.writes} writes, ${p.reads} reads (${p.writeUnits} WRU, ${p.readUnits} RRU), ${p.invokes} invokes, ${p.transitions} transitions — DynamoDB: ${Object.entries(
      p.dynamodb,
    )
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')}`,
    table(
      ['component', 'floor', 'per order', 'orders/s ceiling'],
      [
        [
          'DynamoDB Local',
          `${r.floors.dynamoDbWritesPerSec.toFixed(0)} writes/s, ${r.floors.dynamoDbReadsPerSec.toFixed(0)} reads/s`,
          `${p.writes} writes, ${p.reads} reads`,
          (c['DynamoDB Local'] ?? NaN).toFixed(1),
        ],
        [
          'local Lambda service',
          `${r.floors.lambdaInvokesPerSec.toFixed(0)} invokes/s`,
          `${p.invokes} invokes`,
          (c['local Lambda service'] ?? NaN).toFixed(1),
        ],
        [
          'Step Functions service',
          `${r.floors.sfnTransitionsPerSec.toFixed(0)} transitions/s`,
          `${p.transitions} transitions`,
          (c['Step Functions service'] ?? NaN).toFixed(1),
        ],
      ],
    ),
    `Ceiling: ${bottleneck} ${ceilingPerSec.toFixed(1)}/s; saturation ÷ ceiling = ${(s.completedPerSec / ceilingPerSec).toFixed(2)}. Targets: ≥ 0.5 × ceiling ${mark(s.completedPerSec >= 0.5 * ceilingPerSec)}, p99 overhead at half rate ≤ 1 s ${mark(h.p99OverheadMs <= 1000)}, errors 0 ${mark(s.errors + h.errors === 0)}${s.completedPerSec > 0.9 * s.offeredPerSec ? ' (offered load not above capacity: raise --rate)' : ''}`,
  ];
}

const cpuTotal = (perOrder: Record<string, number>) =>
  Object.values(perOrder).reduce((sum, ms) => sum + ms, 0);

function engineLines(r: Results): string[] {
  const suite = r.workflowSuite;
  return [
    `Engine ceiling: order ASL in process, no-op tasks: ${r.engine.executionsPerSec.toFixed(0)} executions/s (${(1000 / r.engine.executionsPerSec).toFixed(1)} ms per execution). Validating a new definition (checkDefinition on a fresh copy; once per definition, not per execution) takes ${r.engine.checkDefinitionMs.toFixed(0)} ms`,
    `Workflow test, exhausted retry (tok_processing_error): ${r.workflow.fakeMs.toFixed(0)} ms on the fake clock vs ${r.workflow.realMs / 1000} s of waits on AWS = ${(r.workflow.fakeMs / r.workflow.realMs).toFixed(4)}×`,
    `Workflow suite (npm run test:workflow, ${suite.tests} tests${suite.passed ? '' : ', FAILED'}): ${(suite.ms / 1000).toFixed(1)} s; target < 5 s ${mark(suite.ms < 5000)}`,
  ];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const ratio = (value: number, floor: number) => `${(value / floor).toFixed(2)}×`;
export const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** The cold-start table, the floor of the first handler and each bundle's heaviest inputs. */
export function coldStartLines(handlers: HandlerResult[]): string[] {
  const lines: string[] = [];
  lines.push(
    'Cold start (esbuild as serverless.yml; init = require + take handler, fresh node, fastest run)',
  );
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
  if (first) lines.push(`Floor of ${first.name}: ${first.floorImports.join('; ')}`);
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
