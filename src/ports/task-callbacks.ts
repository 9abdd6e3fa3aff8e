/**
 * Completes a workflow step that waits for a callback (a Step Functions task token). Each method throws
 * CallbackExpiredError when the workflow no longer waits for the token (timed out, already completed), and
 * ServiceUnavailable on transient failures.
 */
export interface TaskCallbacks {
  succeed(taskToken: string, output: Record<string, unknown>): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
  /** Tells the workflow the work is still in progress (resets HeartbeatSeconds). */
  heartbeat(taskToken: string): Promise<void>;
}
