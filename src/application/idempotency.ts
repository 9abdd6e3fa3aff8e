import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  ServiceUnavailable,
} from '../domain/errors';
import type { HeldKey, IdempotencyStore } from '../ports/idempotency-store';
import { hashOf, idempotencyRecordId } from './idempotency-hash';

export interface IdempotencyDeps<Result> {
  readonly store: IdempotencyStore<Result>;
  readonly clock: () => Date;
  /** Told when the operation succeeded but its result could not be recorded (see runOnce). */
  readonly completionLost: (error: unknown) => void;
}

/** An operation's idempotency settings. */
export interface IdempotencyPolicy {
  /** Names the operation in its record ids, so two operations never share a record. */
  readonly keyPrefix: string;
  /** How long a completed request's result is replayed for its key. */
  readonly expiresAfterSeconds: number;
}

export interface IdempotentRequest {
  readonly key: string;
  /** What a reuse of the key must repeat: the same key with another payload is refused. */
  readonly payload: unknown;
  /** How long this attempt may hold the key (what is left of its invocation): a retry may take the key over after. */
  readonly lockForMillis: number;
}

/**
 * Runs `operation` once per key. A repeat of a completed request gets the first result back without running it;
 * the key with another payload is IdempotencyKeyReusedError; a repeat while the first still runs is
 * IdempotencyKeyInProgressError. If the operation fails the key is released, so the client may retry with it. A
 * store that fails to claim or release is ServiceUnavailable, whatever its error: the client retries with the same
 * key. A store that fails to record the result does not fail the request: the operation's effect exists, and an
 * error would ask the client to repeat it. The key stays in progress until its lock ends (a repeat is 409 until
 * then); `completionLost` is told, so the loss is loud.
 */
export async function runOnce<Result>(
  deps: IdempotencyDeps<Result>,
  policy: IdempotencyPolicy,
  request: IdempotentRequest,
  operation: () => Promise<Result>,
): Promise<Result> {
  const id = idempotencyRecordId(policy.keyPrefix, request.key);
  const requestHash = hashOf(request.payload);
  const now = deps.clock();
  const claim = {
    requestHash,
    lockedUntil: later(now, request.lockForMillis),
    expiresAt: later(now, policy.expiresAfterSeconds * 1000),
  };
  const held = await storeCall('claim', () => deps.store.claim(id, claim, now));
  if (held) return heldResult(id, held, requestHash);
  let result: Result;
  try {
    result = await operation();
  } catch (error) {
    await storeCall('release', () => deps.store.release(id));
    throw error;
  }
  const expiresAt = later(deps.clock(), policy.expiresAfterSeconds * 1000);
  await deps.store.complete(id, { requestHash, result, expiresAt }).catch(deps.completionLost);
  return result;
}

function heldResult<Result>(id: string, held: HeldKey<Result>, requestHash: string): Result {
  // The payload first: a reused key is refused even while its first request is still running.
  if (held.requestHash !== requestHash) {
    throw new IdempotencyKeyReusedError(`${id} was used with another payload`);
  }
  if (held.status === 'INPROGRESS') throw new IdempotencyKeyInProgressError(`${id} is in progress`);
  return held.result;
}

async function storeCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ServiceUnavailable) throw error;
    throw new ServiceUnavailable(`The idempotency store could not ${action} the key`, { cause: error });
  }
}

function later(time: Date, millis: number): Date {
  return new Date(time.getTime() + millis);
}
