/**
 * The bootstrap of one local Lambda worker process (bundled by esbuild at start, forked by worker.ts): loads one
 * function's bundle once (its init, as a cold start), then runs one invocation at a time, as a Lambda execution
 * environment does. Messages travel over the IPC channel; the handler's own console output goes to stdout/stderr.
 */
import { pathToFileURL } from 'node:url';
import type { InvocationRequest, WorkerMessage } from './protocol';

type Handler = (
  event: unknown,
  context: unknown,
  callback?: (error: unknown, result?: unknown) => void,
) => unknown;

const [bundlePath, exportName] = process.argv.slice(2);

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/** Lambda's error payload: errorType is the error's name (what Step Functions matches Retry and Catch against). */
function errorPayload(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? `${error.name}: ${error.message}`).split('\n'),
    };
  }
  return { errorType: 'Error', errorMessage: String(error), trace: [] };
}

function contextFor(request: InvocationRequest): Record<string, unknown> {
  const { context } = request;
  return {
    ...context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, context.deadlineMs - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Runs the handler whether it returns a promise or answers through the callback. */
function runHandler(handler: Handler, request: InvocationRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback = (error: unknown, result?: unknown) => (error ? reject(asError(error)) : resolve(result));
    try {
      const returned = handler(request.event, contextFor(request), callback);
      if (returned !== undefined && typeof (returned as Promise<unknown>).then === 'function') {
        (returned as Promise<unknown>).then(resolve, (error: unknown) => reject(asError(error)));
      }
    } catch (error) {
      reject(asError(error));
    }
  });
}

/** Lambda reports a thrown non-Error as errorType "Error" with its text. */
function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

async function main(): Promise<void> {
  if (!bundlePath || !exportName) throw new Error('usage: runtime <bundle> <export>');
  let handler: Handler;
  try {
    const loaded = (await import(pathToFileURL(bundlePath).href)) as Record<string, unknown>;
    const module = (loaded[exportName] === undefined ? loaded.default : loaded) as Record<string, unknown>;
    const candidate = module[exportName];
    if (typeof candidate !== 'function') throw new Error(`${bundlePath} exports no function '${exportName}'`);
    handler = candidate as Handler;
  } catch (error) {
    // As Lambda's Runtime.ImportModuleError / init error: every invocation of this environment fails with it.
    send({ type: 'init-failed', error: errorPayload(error) });
    process.exit(1);
  }
  process.on('message', (request: InvocationRequest) => {
    runHandler(handler, request).then(
      (result) => send({ type: 'result', id: request.id, result: result === undefined ? null : result }),
      (error: unknown) => send({ type: 'error', id: request.id, error: errorPayload(error) }),
    );
  });
  send({ type: 'ready' });
}

void main();
