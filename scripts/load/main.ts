/**
 * npm run load -- [--orders 200] [--concurrency 50] [--url http://127.0.0.1:3000] [--restart-after <s>]
 *
 * POSTs N sample orders at concurrency C to the local cloud (its own `npm start` on the default ports unless --url
 * names a running one), optionally Ctrl-Cs and restarts the cloud with orders in flight, waits for every order to
 * end, and prints what became of them: accepted, SHIPPED, FAILED, stuck, charges, latency, throughput. Writes
 * reports/load.json. Exits 1 when an order is stuck, charged twice or charged and not refunded.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  LOCAL_DATA_DIR,
  LOCAL_STAGE,
  loadOrCreateLocalIssuer,
  portsFromEnv,
  readServiceConfig,
  tableName,
} from '../../local';
import { startCloudProcess, type CloudProcess } from './cloud-process';
import { chargesOf } from './charges';
import { postOrder, refresh, isTerminal, type PostStats, type TrackedOrder } from './orders';
import { summarize, printTable } from './report';

const log = (line: string) => console.log(`[load] ${line}`);

function options() {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '50' },
      url: { type: 'string' },
      'restart-after': { type: 'string' },
      // No order changed status for this long: the ones not ended are stuck.
      'idle-timeout': { type: 'string', default: '120' },
    },
  });
  const number = (name: string, value: string | undefined) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`--${name} must be a number > 0, not ${value}`);
    return parsed;
  };
  return {
    orders: Math.floor(number('orders', values.orders)),
    concurrency: Math.floor(number('concurrency', values.concurrency)),
    url: values.url,
    restartAfterSeconds:
      values['restart-after'] === undefined ? undefined : number('restart-after', values['restart-after']),
    idleTimeoutMs: number('idle-timeout', values['idle-timeout']) * 1000,
  };
}

async function main(): Promise<void> {
  const opts = options();
  const ports = portsFromEnv();
  const apiUrl = opts.url ?? `http://127.0.0.1:${ports.http}`;
  if (opts.url && opts.restartAfterSeconds !== undefined)
    throw new Error('--restart-after needs its own local cloud (no --url)');
  const config = await readServiceConfig(LOCAL_STAGE);
  let cloud: CloudProcess | undefined = opts.url ? undefined : await startCloudProcess(log);
  const stopCloud = async () => cloud?.stop();
  // The cloud runs detached (its own process group): stopped by whatever ends this run (Ctrl-C, `timeout`, a closed
  // terminal), or it would keep its ports and workers after we are gone.
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => void stopCloud().finally(() => process.exit(code)));
  }
  const dynamodb = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${ports.dynamodb}`,
    region: config.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const document = DynamoDBDocumentClient.from(dynamodb);
  const issuer = await loadOrCreateLocalIssuer(join(process.env.LOCAL_DATA_DIR ?? LOCAL_DATA_DIR, 'auth'));
  const token = issuer.sign('cus_load', { expiresInSeconds: 24 * 3600 });
  const stats: PostStats = { throttled: 0, connectionErrors: 0 };
  const orders: TrackedOrder[] = [];
  let restarted = false;
  const clouds: CloudProcess[] = cloud ? [cloud] : [];
  const startedAt = Date.now();
  try {
    log(`POSTing ${opts.orders} orders at concurrency ${opts.concurrency} to ${apiUrl}…`);
    const restart =
      opts.restartAfterSeconds === undefined
        ? undefined
        : (async () => {
            await sleep(opts.restartAfterSeconds! * 1000);
            log(`Ctrl-C of the local cloud with orders in flight (after ${opts.restartAfterSeconds} s)…`);
            const code = await cloud?.stop();
            log(`stopped (exit ${code}); starting it again…`);
            cloud = await startCloudProcess(log);
            restarted = true;
          })();
    let next = 0;
    const sender = async () => {
      while (next < opts.orders) {
        next++;
        orders.push(await postOrder(apiUrl, () => ({ authorization: `Bearer ${token}` }), stats));
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.orders) }, sender));
    const postedAt = Date.now();
    log(
      `${orders.filter((o) => o.orderId).length} accepted in ${((postedAt - startedAt) / 1000).toFixed(1)} s; waiting for every order to end…`,
    );
    await restart;
    await waitForEnds(
      document,
      tableName(config, 'OrdersTable'),
      orders,
      opts.idleTimeoutMs,
      () => cloud?.exited,
    );
    const charges = await chargesOf(document, tableName(config, 'PaymentLedgerTable'), orders);
    const reported = (key: 'lambdaTimeouts' | 'taskRetries') =>
      opts.url ? undefined : clouds.reduce((sum, c) => sum + c.counters[key], 0);
    const summary = summarize({
      orders,
      stats,
      charges,
      restarted,
      startedAt,
      concurrency: opts.concurrency,
      lambdaTimeouts: reported('lambdaTimeouts'),
      taskRetries: reported('taskRetries'),
    });
    printTable(summary);
    mkdirSync('reports', { recursive: true });
    writeFileSync(join('reports', 'load.json'), `${JSON.stringify(summary, null, 2)}\n`);
    log('wrote reports/load.json');
    const healthy =
      summary.stuck === 0 &&
      summary.doubleCharges === 0 &&
      summary.chargedNotRefunded === 0 &&
      !summary.lambdaTimeouts;
    process.exitCode = healthy && summary.accepted === summary.orders ? 0 : 1;
  } finally {
    dynamodb.destroy();
    await stopCloud();
  }
}

/** Polls the orders table until every accepted order has ended, or none moved for `idleTimeoutMs`. */
async function waitForEnds(
  document: DynamoDBDocumentClient,
  table: string,
  orders: TrackedOrder[],
  idleTimeoutMs: number,
  exited: () => Promise<number | null> | undefined,
): Promise<void> {
  let lastChange = Date.now();
  let lastReport = 0;
  let crashed = false;
  void exited()?.then((code) => (crashed = code !== 0 && code !== null));
  for (;;) {
    if (crashed) throw new Error('the local cloud exited during the run');
    try {
      if ((await refresh(document, table, orders)) > 0) lastChange = Date.now();
    } catch (error) {
      log(`orders table not readable (${String(error)}); retrying`);
    }
    const open = orders.filter((order) => order.orderId && !isTerminal(order)).length;
    if (open === 0) return;
    if (Date.now() - lastChange > idleTimeoutMs) {
      log(`${open} orders did not move for ${idleTimeoutMs / 1000} s: counted as stuck`);
      return;
    }
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      log(`${open} orders still running…`);
    }
    await sleep(1000);
  }
}

main().catch((error: unknown) => {
  console.error(`[load] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
