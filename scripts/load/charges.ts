import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TrackedOrder } from './orders';

export interface Charges {
  /** Captures the payment gateway's ledger holds for this run's orders. */
  charges: number;
  /** Orders the gateway captured more than once. */
  doubleCharges: number;
  /** FAILED orders with a capture and no refund: money taken for nothing. */
  chargedNotRefunded: number;
  /** Where the figures come from. */
  source: string;
}

interface LedgerEntry {
  orderId: string;
  captures?: number;
  refundId?: string;
}

/**
 * Counts charges from the sandbox payment gateway's own ledger (what the "card processor" did, not what the
 * orders say): an order charged and not refunded there is a lost customer's money even if the order claims otherwise.
 */
export async function chargesOf(
  client: DynamoDBDocumentClient,
  ledgerTable: string,
  orders: TrackedOrder[],
): Promise<Charges> {
  const ids = new Map(orders.flatMap((order) => (order.orderId ? [[order.orderId, order]] : [])));
  const entries: LedgerEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client
      .send(new ScanCommand({ TableName: ledgerTable, ExclusiveStartKey: start }))
      .catch((error: unknown) => {
        throw new Error(`cannot read the payment gateway's ledger ${ledgerTable}: ${String(error)}`);
      });
    entries.push(...((page.Items ?? []) as LedgerEntry[]));
    start = page.LastEvaluatedKey;
  } while (start);
  const mine = entries.filter((entry) => ids.has(entry.orderId));
  return {
    charges: mine.reduce((sum, entry) => sum + (entry.captures ?? 1), 0),
    doubleCharges: mine.filter((entry) => (entry.captures ?? 1) > 1).length,
    chargedNotRefunded: mine.filter(
      (entry) => ids.get(entry.orderId)?.status !== 'SHIPPED' && entry.refundId === undefined,
    ).length,
    source: ledgerTable,
  };
}
