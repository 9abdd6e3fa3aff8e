import { quantile, round } from '../bench/util';
import type { Charges } from './charges';
import { isTerminal, type PostStats, type TrackedOrder } from './orders';

/** reports/load.json: what became of every order of the run. */
export interface LoadSummary {
  orders: number;
  concurrency: number;
  accepted: number;
  shipped: number;
  failed: number;
  stuck: number;
  rejected: number;
  charges: number;
  doubleCharges: number;
  chargedNotRefunded: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  perSec: number;
  durationSec: number;
  throttled: number;
  connectionErrors: number;
  restarted: boolean;
  /** Functions the local Lambda service ended at their timeout (absent with --url: not visible from outside). */
  lambdaTimeouts?: number;
  /** Task attempts the state machines retried (Lambda errors, throttles, ...). */
  taskRetries?: number;
}

export function summarize(run: {
  orders: TrackedOrder[];
  stats: PostStats;
  charges: Charges;
  restarted: boolean;
  startedAt: number;
  concurrency: number;
  lambdaTimeouts: number | undefined;
  taskRetries: number | undefined;
}): LoadSummary {
  const accepted = run.orders.filter((order) => order.orderId !== undefined);
  const shipped = accepted.filter((order) => order.status === 'SHIPPED');
  const latencies = shipped.flatMap((order) => (order.endedAt ? [order.endedAt - order.sentAt] : []));
  const lastEnd = Math.max(run.startedAt, ...accepted.map((order) => order.endedAt ?? 0));
  const durationSec = (lastEnd - run.startedAt) / 1000;
  return {
    orders: run.orders.length,
    concurrency: run.concurrency,
    accepted: accepted.length,
    shipped: shipped.length,
    failed: accepted.filter((order) => order.status === 'FAILED').length,
    stuck: accepted.filter((order) => !isTerminal(order)).length,
    rejected: run.orders.length - accepted.length,
    charges: run.charges.charges,
    doubleCharges: run.charges.doubleCharges,
    chargedNotRefunded: run.charges.chargedNotRefunded,
    p50Ms: Math.round(quantile(latencies, 0.5)),
    p95Ms: Math.round(quantile(latencies, 0.95)),
    p99Ms: Math.round(quantile(latencies, 0.99)),
    perSec: round(shipped.length / Math.max(durationSec, 0.001), 2),
    durationSec: round(durationSec),
    throttled: run.stats.throttled,
    connectionErrors: run.stats.connectionErrors,
    restarted: run.restarted,
    ...(run.lambdaTimeouts === undefined ? {} : { lambdaTimeouts: run.lambdaTimeouts }),
    ...(run.taskRetries === undefined ? {} : { taskRetries: run.taskRetries }),
  };
}

export function printTable(summary: LoadSummary): void {
  const rows: [string, string | number | boolean][] = [
    ['orders', summary.orders],
    ['accepted (202)', summary.accepted],
    ['SHIPPED', summary.shipped],
    ['FAILED', summary.failed],
    ['stuck (not ended)', summary.stuck],
    ['rejected (no 202)', summary.rejected],
    ['charges (gateway ledger)', summary.charges],
    ['double charges', summary.doubleCharges],
    ['charged, not shipped, not refunded', summary.chargedNotRefunded],
    ['POST -> SHIPPED p50 / p95 / p99 ms', `${summary.p50Ms} / ${summary.p95Ms} / ${summary.p99Ms}`],
    ['orders/s (SHIPPED over the run)', summary.perSec],
    ['run duration s', summary.durationSec],
    ['503 answers retried / connection errors retried', `${summary.throttled} / ${summary.connectionErrors}`],
    [
      'Lambda timeouts / Task retries',
      `${summary.lambdaTimeouts ?? 'n/a'} / ${summary.taskRetries ?? 'n/a'}`,
    ],
    ['restarted mid-run', summary.restarted],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n| ${'what'.padEnd(width)} | value |\n| ${'-'.repeat(width)} | ----- |`);
  for (const [name, value] of rows) console.log(`| ${name.padEnd(width)} | ${String(value)} |`);
  console.log('');
}
