/** Webhook signatures already accepted, remembered long enough that a replay within the signature window is refused. */
export interface SeenSignatures {
  /** Records the signature until `expiresAt`; false if it was already recorded (a replay). */
  claim(signature: string, expiresAt: Date): Promise<boolean>;
  /** Forgets a claimed signature whose request then failed, so the carrier's retry of it is not taken for a replay. */
  release(signature: string): Promise<void>;
}
