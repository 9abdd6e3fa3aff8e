/** Messages between the local Lambda pool (worker.ts) and a worker process (runtime.ts), over Node's IPC channel. */

/** What the handler's context object carries (runtime.ts adds getRemainingTimeInMillis and the legacy methods). */
export interface InvocationContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Epoch milliseconds at which the function times out. */
  deadlineMs: number;
}

export interface InvocationRequest {
  id: string;
  event: unknown;
  context: InvocationContext;
}

/** Lambda's function error payload, as the Invoke API returns it with X-Amz-Function-Error. */
export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-failed'; error: FunctionErrorPayload }
  | { type: 'result'; id: string; result: unknown }
  | { type: 'error'; id: string; error: FunctionErrorPayload };
