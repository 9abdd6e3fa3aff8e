/**
 * The local cloud end to end, open-loop: a warm-up (every function gets its environments), a run offered above
 * capacity (the saturation rate), then a run at half that rate (the latency a developer sees, and what each function
 * takes, for the cost).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName, type LocalCloud } from '../../local';
import { ORDER_BODY } from './in-process';
import { legsOf, repeatUntilWarm, type Clients } from './e2e';
import { cpuBetween, sampleCpu } from './cpu';
import { openLoop, type OpenLoopRun } from './saturation';

export interface EndToEnd {
  saturation: OpenLoopRun;
  halfRate: OpenLoopRun;
  /** Median ms of each leg at half rate. */
  legs: Record<string, number>;
  /** The functions' invocations and run time during the half-rate run. */
  durations: Map<string, { invocations: number; totalMs: number }>;
  logBytes: number;
  /** CPU milliseconds per order during the saturation run, by component (see cpu.ts), largest first. */
  cpuPerOrderMs: Record<string, number>;
}

export interface EndToEndOptions {
  warmUpOrders: number;
  saturationOrders: number;
  /** Offered during the saturation run: well above what the cloud completes. */
  saturationRate: number;
  halfRateSeconds: number;
  timeScale: number;
  log: (line: string) => void;
}

/** Warm-up rounds at most: each one that still starts environments is followed by another. */
const MAX_WARM_UP_ROUNDS = 3;

export async function measureEndToEnd(
  cloud: LocalCloud,
  aws: Clients,
  logBytes: { count: number },
  opts: EndToEndOptions,
): Promise<EndToEnd> {
  const designedWaitMs = designedWaits(cloud, opts.timeScale);
  await restock(
    cloud,
    aws,
    MAX_WARM_UP_ROUNDS * opts.warmUpOrders +
      opts.saturationOrders +
      opts.halfRateSeconds * opts.saturationRate,
  );
  const timeoutMs = 120_000;
  await warmUp(cloud, aws, { ...opts, designedWaitMs, timeoutMs });
  opts.log(`saturation: ${opts.saturationOrders} orders offered at ${opts.saturationRate}/s…`);
  const before = sampleCpu();
  const { run: saturation } = await openLoop(cloud, aws, {
    ratePerSec: opts.saturationRate,
    orders: opts.saturationOrders,
    designedWaitMs,
    timeoutMs,
  });
  const cpuPerOrderMs = Object.fromEntries(
    [...cpuBetween(before, sampleCpu())]
      .map(
        ([component, seconds]) => [component, Math.round((seconds * 1000) / opts.saturationOrders)] as const,
      )
      .filter(([, ms]) => ms > 0)
      .sort((a, b) => b[1] - a[1]),
  );
  const halfRate = Math.max(1, saturation.completedPerSec / 2);
  opts.log(`half the saturation rate: ${halfRate.toFixed(1)} orders/s for ${opts.halfRateSeconds} s…`);
  cloud.lambda.pool.durations.clear();
  logBytes.count = 0;
  const { run: half, orders } = await openLoop(cloud, aws, {
    ratePerSec: halfRate,
    orders: Math.max(10, Math.round(halfRate * opts.halfRateSeconds)),
    designedWaitMs,
    timeoutMs,
  });
  return {
    saturation,
    halfRate: half,
    legs: await legsOf(cloud, aws, orders),
    durations: new Map(cloud.lambda.pool.durations),
    logBytes: logBytes.count,
    cpuPerOrderMs,
  };
}

/**
 * Brings the pool to the shape the saturation run needs: rounds offered at the saturation rate until one starts no
 * new environment. A warm-up at half that rate left the environments the saturation run adds to start inside the
 * measured run: measured as a second saturation run of 300 orders on the same cloud after the first (3 runs, when the
 * sandbox carrier still slept in its function): 65-67 against 73-75 ms of CPU an order, 0-1 cold starts against 2-3.
 */
function warmUp(
  cloud: LocalCloud,
  aws: Clients,
  opts: EndToEndOptions & { designedWaitMs: number; timeoutMs: number },
): Promise<void> {
  return repeatUntilWarm(cloud, MAX_WARM_UP_ROUNDS, (round) => {
    opts.log(`end to end: warm-up round ${round}, ${opts.warmUpOrders} orders at ${opts.saturationRate}/s…`);
    return openLoop(cloud, aws, {
      ratePerSec: opts.saturationRate,
      orders: opts.warmUpOrders,
      designedWaitMs: opts.designedWaitMs,
      timeoutMs: opts.timeoutMs,
    });
  });
}

/**
 * Enough stock of the bench order's items for every order of the run (the seeded catalog holds 1,000 books: an
 * order past that would end FAILED and the run would measure refusals).
 */
async function restock(cloud: LocalCloud, aws: Clients, orders: number): Promise<void> {
  const items = (ORDER_BODY.items ?? []) as { sku: string; quantity: number }[];
  for (const { sku, quantity } of items) {
    await aws.document.send(
      new UpdateCommand({
        TableName: tableName(cloud.config, 'CatalogTable'),
        Key: { sku },
        UpdateExpression: 'SET stock = :stock',
        ExpressionAttributeValues: { ':stock': 2 * orders * quantity },
      }),
    );
  }
}

/**
 * The waits the bench order's path is built to take, at this time scale: the sample order (EUR 29.99) ships
 * STANDARD, so the fulfilment's Wait for the next collection, and the sandbox carrier's pickup delay (its workflow's
 * Wait, which requestPickup's SANDBOX_PICKUP_DELAY_SECONDS sets).
 */
function designedWaits(cloud: LocalCloud, timeScale: number): number {
  const fulfilment = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'statemachines', 'fulfilment.asl.json'), 'utf8'),
  ) as { States: Record<string, { Type: string; Seconds?: unknown }> };
  const waitSeconds = Object.values(fulfilment.States)
    .filter((state) => state.Type === 'Wait' && typeof state.Seconds === 'number')
    .reduce((sum, state) => sum + Number(state.Seconds), 0);
  const pickup = Number(cloud.config.functions.requestPickup?.environment.SANDBOX_PICKUP_DELAY_SECONDS);
  if (!Number.isFinite(pickup))
    throw new Error('serverless.yml gives requestPickup no SANDBOX_PICKUP_DELAY_SECONDS');
  return Math.round((waitSeconds + pickup) * timeScale * 1000);
}
