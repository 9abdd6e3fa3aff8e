import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from './errors';

/**
 * Carrier webhook signatures, Stripe-style: the header `Carrier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>" with the shared secret>`. The carrier's side (signWebhookPayload: the sandbox carrier, or a real
 * carrier integration) and ours (verifyWebhookSignature) run this same code.
 */
export const SIGNATURE_HEADER = 'carrier-signature';
/** How old a signed request may be: older ones are refused, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The Carrier-Signature header value for a body sent at `now`. */
export function signWebhookPayload(secret: string, body: string, now: Date): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

function parseHeader(header: string): { timestamp: number; signatures: string[] } {
  let timestamp = Number.NaN;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Several v1 entries are allowed: a carrier signs with the old and the new secret while it is rotated.
    if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  return { timestamp, signatures };
}

/**
 * Checks a request's Carrier-Signature against its raw body: a timestamp within 5 minutes of `now` and a v1 HMAC
 * that matches, compared in constant time. Returns the matching signature (the replay key); throws
 * UnauthorizedError saying what is wrong (never what was expected).
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  now: Date,
): string {
  if (header === undefined || header.trim() === '') {
    throw new UnauthorizedError(
      'Missing Carrier-Signature header: sign each request (t=<unix seconds>,v1=<hmac>)',
    );
  }
  const { timestamp, signatures } = parseHeader(header);
  if (!Number.isFinite(timestamp) || signatures.length === 0) {
    throw new UnauthorizedError('The Carrier-Signature header must be "t=<unix seconds>,v1=<64 hex digits>"');
  }
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new UnauthorizedError('The Carrier-Signature timestamp is more than 5 minutes from now');
  }
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  const match = signatures.find((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  if (match === undefined)
    throw new UnauthorizedError('The Carrier-Signature does not match the request body');
  return match;
}
