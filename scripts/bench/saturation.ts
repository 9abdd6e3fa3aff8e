/**
 * The local cloud driven open-loop: orders POSTed at a fixed rate whatever the answers (503s retried after
 * Retry-After with the same Idempotency-Key, as `npm run load` does), so the cloud, not the client, sets the pace.
 * Above its capacity this measures the saturation rate; at half of it, the latency a developer sees.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { tableName, type LocalCloud } from '../../local';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { postOrder, refresh, type PostStats, type TrackedOrder } from '../load/orders';
import { BENCH_CUSTOMER } from './in-process';
import type { Clients } from './e2e';
import { quantile } from './util';

export interface OpenLoopRun {
  offeredPerSec: number;
  orders: number;
  /** Orders SHIPPED per second between the 10th and the 90th percentile completion: ramp-up and drain left out. */
  completedPerSec: number;
  /** Orders answered 202 per second, from the first POST to the last answer. */
  acceptedPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** p99 of POST -> SHIPPED minus the waits the order's path is designed to take (Wait states, carrier pickup). */
  p99OverheadMs: number;
  designedWaitMs: number;
  /** Orders not SHIPPED (rejected, FAILED, not ended within the timeout). */
  errors: number;
  throttled: number;
}

/** Sends `orders` orders at `ratePerSec`, then waits for every accepted order to end (or `timeoutMs`). */
export async function openLoop(
  cloud: LocalCloud,
  aws: Clients,
  run: { ratePerSec: number; orders: number; designedWaitMs: number; timeoutMs: number },
): Promise<{ run: OpenLoopRun; orders: TrackedOrder[] }> {
  const authorization = `Bearer ${cloud.issuer.sign(BENCH_CUSTOMER)}`;
  const stats: PostStats = { throttled: 0, connectionErrors: 0 };
  const posts: Promise<TrackedOrder>[] = [];
  const firstAt = performance.now();
  for (let i = 0; i < run.orders; i++) {
    // Paced by the schedule, not by answers: a slow answer never slows the offered load.
    const due = firstAt + (i * 1000) / run.ratePerSec;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    posts.push(postOrder(cloud.urls.api, () => ({ authorization }), stats));
  }
  const orders = await Promise.all(posts);
  await waitForEnds(cloud, aws, orders, run.timeoutMs);
  return { run: summarize(orders, run, stats), orders };
}

function summarize(
  orders: TrackedOrder[],
  run: { ratePerSec: number; designedWaitMs: number },
  stats: PostStats,
): OpenLoopRun {
  const shipped = orders.filter((o) => o.status === 'SHIPPED' && o.endedAt !== undefined);
  const latencies = shipped.map((o) => (o.endedAt ?? 0) - o.sentAt);
  const ends = shipped.map((o) => o.endedAt ?? 0).sort((a, b) => a - b);
  const from = quantile(ends, 0.1);
  const to = quantile(ends, 0.9);
  const inWindow = ends.filter((at) => at > from && at <= to).length;
  const p99 = quantile(latencies, 0.99);
  const accepted = orders.filter((o) => o.orderId !== undefined);
  const firstSent = Math.min(...orders.map((o) => o.sentAt));
  const lastAnswer = Math.max(...accepted.map((o) => o.answeredAt ?? 0));
  return {
    offeredPerSec: run.ratePerSec,
    orders: orders.length,
    completedPerSec: to > from ? inWindow / ((to - from) / 1000) : NaN,
    acceptedPerSec: accepted.length / ((lastAnswer - firstSent) / 1000),
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    p99Ms: p99,
    p99OverheadMs: p99 - run.designedWaitMs,
    designedWaitMs: run.designedWaitMs,
    errors: orders.length - shipped.length,
    throttled: stats.throttled,
  };
}

/**
 * Waits until no execution of the service's state machines runs (asked of the Step Functions API, which costs
 * DynamoDB Local nothing: polling the orders table would load the very component the bench measures), then reads
 * each order's outcome once.
 */
async function waitForEnds(
  cloud: LocalCloud,
  aws: Clients,
  orders: TrackedOrder[],
  timeoutMs: number,
): Promise<void> {
  const machines = cloud.config.stateMachines.map((machine) => machine.localArn);
  const deadline = Date.now() + timeoutMs;
  const running = async () => {
    for (const stateMachineArn of machines) {
      const page = await aws.sfn.send(
        new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 }),
      );
      if ((page.executions ?? []).length > 0) return true;
    }
    return false;
  };
  while (Date.now() < deadline && (await running())) await sleep(250);
  await refresh(aws.document, ordersTable(cloud), orders);
}

/** The orders table of serverless.yml (its OrdersTable resource). */
export function ordersTable(cloud: LocalCloud): string {
  return tableName(cloud.config, 'OrdersTable');
}
