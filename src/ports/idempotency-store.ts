/** A request's claim on a key: held until `lockedUntil` (its Lambda's deadline), kept until `expiresAt`. */
export interface IdempotencyClaim {
  readonly requestHash: string;
  readonly lockedUntil: Date;
  readonly expiresAt: Date;
}

/** A claimed key's outcome: the result a repeat gets, kept until `expiresAt`. */
export interface IdempotencyCompletion<Result> {
  readonly requestHash: string;
  readonly result: Result;
  readonly expiresAt: Date;
}

/** The record that holds a key another request claims: still in progress, or completed with its result. */
export type HeldKey<Result> =
  | { readonly status: 'INPROGRESS'; readonly requestHash?: string }
  | { readonly status: 'COMPLETED'; readonly requestHash?: string; readonly result: Result };

/** One record per idempotency key, so a repeated request is answered with the first one's result. */
export interface IdempotencyStore<Result> {
  /**
   * Records the key as in progress and returns undefined, unless a record holds it at `now`: then returns that record
   * unchanged. A record past its `expiresAt`, or in progress past its `lockedUntil`, no longer holds the key.
   */
  claim(key: string, claim: IdempotencyClaim, now: Date): Promise<HeldKey<Result> | undefined>;
  /** Marks the claimed key completed: a repeat of its request now gets the result. */
  complete(key: string, completion: IdempotencyCompletion<Result>): Promise<void>;
  /** Forgets the key, so a retry of a request that failed may claim it again. */
  release(key: string): Promise<void>;
}
