import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import sampleOrder from '../../data/sample-order.json';

/** One order of the load run, as the tool saw it. */
export interface TrackedOrder {
  idempotencyKey: string;
  sentAt: number;
  /** When the POST was answered (the last try's answer), epoch ms. */
  answeredAt?: number;
  orderId?: string;
  /** HTTP status of the last answer (202 accepted). */
  httpStatus?: number;
  status?: string;
  /** When the order record says it shipped or failed (its history), epoch ms. */
  endedAt?: number;
  charged?: boolean;
  refunded?: boolean;
}

export interface PostStats {
  /** 503 answers (queue full), each retried after Retry-After. */
  throttled: number;
  /** Connection errors (the cloud restarting), each retried with the same Idempotency-Key. */
  connectionErrors: number;
}

const TERMINAL = new Set(['SHIPPED', 'FAILED']);
/** How long one order keeps retrying a refused connection (a restart takes ~10 s; a saturated cloud answers 503 for minutes). */
const POST_PATIENCE_MS = 600_000;

export function isTerminal(order: TrackedOrder): boolean {
  return order.status !== undefined && TERMINAL.has(order.status);
}

/**
 * POSTs one order until it is answered: 503 waits Retry-After, a refused connection waits a second; both retry
 * with the same Idempotency-Key, so a retry never creates a second order.
 */
export async function postOrder(
  apiUrl: string,
  headers: () => Record<string, string>,
  stats: PostStats,
  /** Fields that replace the sample order's (items, shippingAddress, payment). */
  overrides: object = {},
): Promise<TrackedOrder> {
  const order: TrackedOrder = { idempotencyKey: randomUUID(), sentAt: Date.now() };
  const body = JSON.stringify({ ...sampleOrder, ...overrides });
  for (const deadline = Date.now() + POST_PATIENCE_MS; Date.now() < deadline;) {
    let response: Response;
    try {
      response = await fetch(`${apiUrl}/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': order.idempotencyKey,
          ...headers(),
        },
        body,
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      stats.connectionErrors++;
      await sleep(1000);
      continue;
    }
    order.httpStatus = response.status;
    order.answeredAt = Date.now();
    if (response.status === 503) {
      stats.throttled++;
      await response.arrayBuffer();
      await sleep(Number(response.headers.get('retry-after') ?? '1') * 1000);
      continue;
    }
    const answer = (await response.json().catch(() => ({}))) as { orderId?: string };
    if (response.status === 202 && answer.orderId) order.orderId = answer.orderId;
    return order;
  }
  return order;
}

interface StoredOrder {
  orderId: string;
  status: string;
  history?: { status: string; at: string }[];
  payment?: { chargeId: string; refund?: unknown };
}

/** Reads the accepted orders that have not ended from the orders table (100 keys a request). */
export async function refresh(
  client: DynamoDBDocumentClient,
  table: string,
  orders: TrackedOrder[],
): Promise<number> {
  const open = orders.filter((order) => order.orderId !== undefined && !isTerminal(order));
  const byId = new Map(open.map((order) => [order.orderId, order]));
  let changed = 0;
  for (let i = 0; i < open.length; i += 100) {
    const keys = open.slice(i, i + 100).map((order) => ({ orderId: order.orderId }));
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
      [table]: { Keys: keys },
    };
    while (request && Object.keys(request).length > 0) {
      const result = await client.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of (result.Responses?.[table] ?? []) as StoredOrder[]) {
        const order = byId.get(item.orderId);
        if (!order) continue;
        if (order.status !== item.status) changed++;
        order.status = item.status;
        order.charged = item.payment !== undefined;
        order.refunded = item.payment?.refund !== undefined;
        const ended = item.history?.find((entry) => TERMINAL.has(entry.status));
        if (ended) order.endedAt = Date.parse(ended.at);
      }
      request = result.UnprocessedKeys as typeof request;
    }
  }
  return changed;
}
