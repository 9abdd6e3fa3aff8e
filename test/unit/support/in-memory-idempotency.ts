import type {
  HeldKey,
  IdempotencyClaim,
  IdempotencyCompletion,
  IdempotencyStore,
} from '../../../src/ports/idempotency-store';

interface StoredRecord<Result> {
  held: HeldKey<Result>;
  expiresAt: Date;
  lockedUntil?: Date;
}

/** Idempotency records in a Map, with the DynamoDB adapter's rule: a key is free, expired, or past its lock. */
export class InMemoryIdempotencyStore<Result> implements IdempotencyStore<Result> {
  readonly records = new Map<string, StoredRecord<Result>>();

  /** Like DynamoDB, which does not keep the key order of maps, hand stored results back with keys reversed. */
  constructor(private readonly reorderKeys = true) {}

  claim(key: string, claim: IdempotencyClaim, now: Date): Promise<HeldKey<Result> | undefined> {
    const existing = this.records.get(key);
    if (existing && !isClaimable(existing, now)) return Promise.resolve(existing.held);
    this.records.set(key, {
      held: { status: 'INPROGRESS', requestHash: claim.requestHash },
      expiresAt: claim.expiresAt,
      lockedUntil: claim.lockedUntil,
    });
    return Promise.resolve(undefined);
  }

  complete(key: string, { requestHash, result, expiresAt }: IdempotencyCompletion<Result>): Promise<void> {
    this.records.set(key, {
      held: { status: 'COMPLETED', requestHash, result: this.reorderKeys ? reversedKeys(result) : result },
      expiresAt,
    });
    return Promise.resolve();
  }

  release(key: string): Promise<void> {
    this.records.delete(key);
    return Promise.resolve();
  }
}

function isClaimable(record: StoredRecord<unknown>, now: Date): boolean {
  if (record.expiresAt < now) return true;
  return record.held.status === 'INPROGRESS' && record.lockedUntil !== undefined && record.lockedUntil < now;
}

function reversedKeys<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).reverse()) as T;
}
