import { createHash } from 'node:crypto';

// Record ids and request hashes are computed as Powertools idempotency 2.x computed them (md5 in base64 of the JSON,
// object keys sorted), so the records a previous deployment wrote keep answering through a rollout either way.

/** The record id of an idempotency key: `<prefix>#<hash of the key>`. */
export function idempotencyRecordId(prefix: string, key: string): string {
  return `${prefix}#${hashOf(key)}`;
}

/** The hash of a JSON value, the same whatever the order of its objects' keys. */
export function hashOf(value: unknown): string {
  return createHash('md5')
    .update(JSON.stringify(sortKeys(value)))
    .digest('base64');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  const sorted: Record<string, unknown> = {};
  // Powertools' comparator as it is (case-insensitive, never 0): keys that differ only in case keep their old order.
  for (const key of Object.keys(value).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))) {
    sorted[key] = sortKeys(value[key]);
  }
  return sorted;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}
