import { randomBytes } from 'node:crypto';

/**
 * Order ids are `ord_` + a ULID (26 Crockford base-32 characters): sortable by creation time, URL-safe and
 * well within Step Functions' 80-character execution name limit (the execution is named after the order).
 */
export const ORDER_ID_PATTERN = /^ord_[0-9A-HJKMNP-TV-Z]{26}$/;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function isOrderId(value: string): boolean {
  return ORDER_ID_PATTERN.test(value);
}

export function newOrderId(now: number = Date.now(), random: Uint8Array = randomBytes(10)): string {
  let time = '';
  let rest = now;
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD.charAt(rest % 32) + time;
    rest = Math.floor(rest / 32);
  }
  // 80 random bits -> 16 characters of 5 bits each.
  let bits = 0n;
  for (const byte of random) bits = (bits << 8n) | BigInt(byte);
  let randomPart = '';
  for (let i = 0; i < 16; i += 1) {
    randomPart = CROCKFORD.charAt(Number(bits & 31n)) + randomPart;
    bits >>= 5n;
  }
  return `ord_${time}${randomPart}`;
}
