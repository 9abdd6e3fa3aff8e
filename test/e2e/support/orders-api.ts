import sampleOrder from '../../../data/sample-order.json';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { loadOrCreateLocalIssuer, loadOrCreateLocalSecret, type LocalIssuer } from '../../../local';
import { signWebhookPayload } from '../../../src/domain/webhook-signature';
import { e2e } from './env';

let issuer: Promise<LocalIssuer> | undefined;
let webhookSecret: Promise<string> | undefined;

function authDir(): string {
  const dir = process.env.E2E_AUTH_DIR;
  if (!dir) throw new Error('E2E_AUTH_DIR is not set: the e2e global setup did not export the auth dir');
  return dir;
}

/** The e2e local cloud's issuer (E2E_AUTH_DIR): signs tokens its gateway accepts. */
export function localIssuer(): Promise<LocalIssuer> {
  issuer ??= loadOrCreateLocalIssuer(authDir());
  return issuer;
}

/** `Authorization: Bearer <token>` of the e2e local cloud's issuer for a customer. */
export async function bearer(customerId = 'cus_e2e'): Promise<string> {
  return `Bearer ${(await localIssuer()).sign(customerId)}`;
}

/** The e2e local cloud's carrier webhook secret (CARRIER_WEBHOOK_SECRET, or the one kept in E2E_AUTH_DIR). */
export function carrierWebhookSecret(): Promise<string> {
  webhookSecret ??= loadOrCreateLocalSecret(authDir(), 'CARRIER_WEBHOOK_SECRET');
  return webhookSecret;
}

/** A Carrier-Signature header for `body` as the carrier would sign it at `at` (now by default). */
export async function carrierSignature(body: string, at = new Date()): Promise<string> {
  return signWebhookPayload(await carrierWebhookSecret(), body, at);
}

export interface OrderView {
  orderId: string;
  status: string;
  history: { status: string; at: string }[];
  failure?: { error: string; cause: string };
  payment?: {
    chargeId: string;
    refund?: { refundId: string; amount: { amount: number; currency: string }; at: string };
  };
  shipment?: { shipmentId: string; trackingNumber: string; carrier: string; service?: string };
  total?: { amount: number; currency: string };
}

/** A valid order body; override any part per test. */
export function orderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...sampleOrder, ...overrides };
}

export async function postOrder(
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${e2e.apiUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await bearer(), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

/** GET /orders/{orderId} as a customer (the default e2e customer unless told). */
export async function getOrder(
  orderId: string,
  customerId?: string,
): Promise<{ status: number; json: OrderView }> {
  const response = await fetch(`${e2e.apiUrl}/orders/${encodeURIComponent(orderId)}`, {
    headers: { authorization: await bearer(customerId) },
  });
  return { status: response.status, json: (await response.json()) as OrderView };
}

const TERMINAL = new Set(['SHIPPED', 'FAILED']);

/** Polls GET /orders/{id} until the order reaches SHIPPED or FAILED (generous bound for a slow machine). */
export async function waitForTerminalOrder(orderId: string, timeoutMs = 60_000): Promise<OrderView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, json } = await getOrder(orderId);
    if (status === 200 && TERMINAL.has(json.status)) return json;
    if (Date.now() > deadline) throw new Error(`order ${orderId} still ${json.status} after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Polls DescribeExecution until the execution has left RUNNING. */
export async function waitForExecutionEnd(executionArn: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return status ?? 'UNKNOWN';
    if (Date.now() > deadline)
      throw new Error(`execution ${executionArn} still RUNNING after ${timeoutMs} ms`);
    await sleep(100);
  }
}

export interface CarrierEventOptions {
  /** The Carrier-Signature header as sent; by default the body is signed with the local secret at `signedAt`. */
  signature?: string | null;
  /** When the carrier signed (default now): a repeated event is signed anew, a second earlier or later. */
  signedAt?: Date;
}

/**
 * POST /shipments/{shipmentId}/events: what the carrier's webhook sends, signed as the carrier signs it unless
 * `signature` says otherwise (`null`: no header at all). Returns the signature sent, to replay it.
 */
export async function postCarrierEvent(
  shipmentId: string,
  body: unknown,
  options: CarrierEventOptions = {},
): Promise<{ status: number; json: Record<string, unknown>; signature: string | null }> {
  // An event names its shipment (the signature binds it); a test's own raw text is sent as it is.
  const raw = typeof body === 'string' ? body : JSON.stringify({ shipmentId, ...(body as object) });
  const signature =
    options.signature === undefined ? await carrierSignature(raw, options.signedAt) : options.signature;
  const response = await fetch(`${e2e.apiUrl}/shipments/${encodeURIComponent(shipmentId)}/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'carrier-signature': signature }),
    },
    body: raw,
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    signature,
  };
}

/** Polls the shipments table until the order's shipment waits for its pickup; returns it. */
export async function waitForAwaitingPickup(
  orderId: string,
  timeoutMs = 60_000,
): Promise<{ shipmentId: string; status: string; taskToken?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Items } = await e2e.dynamodb.send(
      new ScanCommand({
        TableName: e2e.shipmentsTable,
        FilterExpression: 'orderId = :orderId',
        ExpressionAttributeValues: { ':orderId': orderId },
        ConsistentRead: true,
      }),
    );
    const shipment = Items?.[0] as { shipmentId: string; status: string; taskToken?: string } | undefined;
    if (shipment?.status === 'AWAITING_PICKUP') return shipment;
    if (Date.now() > deadline) throw new Error(`order ${orderId} has no shipment awaiting its pickup`);
    await sleep(50);
  }
}
