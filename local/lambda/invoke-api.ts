import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { functionName } from '../stepfunctions/lambda-invoker';
import { BodyTooLargeError, readBody, sendJson } from './http-util';
import { FunctionNotFoundError, TooManyRequestsError, type LambdaPool } from './pool';

/** Lambda's limit on a synchronous invocation's payload. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** Lambda retries a failed asynchronous invocation twice; locally one second apart, not minutes. */
const ASYNC_RETRIES = 2;

/**
 * The Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations) over the pool, as the AWS SDK calls it:
 * RequestResponse answers the result (X-Amz-Function-Error on a function error), Event queues and answers 202,
 * a full queue answers 429 TooManyRequestsException, an unknown function 404 ResourceNotFoundException.
 */
export function createInvokeApi(pool: LambdaPool, log: (line: string) => void): Server {
  return createServer((request, response) => {
    handle(pool, log, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { Type: 'Service', message: String(error) });
    });
  });
}

async function handle(
  pool: LambdaPool,
  log: (line: string) => void,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const match = INVOKE_PATH.exec(request.url?.split('?')[0] ?? '');
  if (request.method !== 'POST' || !match?.[1]) {
    sendError(
      response,
      404,
      'UnknownOperationException',
      `No such operation: ${request.method} ${request.url}`,
    );
    return;
  }
  const name = functionName(decodeURIComponent(match[1]));
  let event: unknown;
  try {
    const body = await readBody(request, MAX_PAYLOAD_BYTES);
    event = body.byteLength === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      sendError(response, 413, 'RequestTooLargeException', error.message);
    else sendError(response, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
    return;
  }
  try {
    pool.spec(name);
  } catch (error) {
    if (error instanceof FunctionNotFoundError) {
      sendError(response, 404, 'ResourceNotFoundException', error.message);
      return;
    }
    throw error;
  }
  if (request.headers['x-amz-invocation-type'] === 'Event') {
    void invokeAsync(pool, name, event, log);
    response.writeHead(202, { 'content-length': 0 }).end();
    return;
  }
  try {
    const outcome = await pool.invoke(name, event);
    const headers = { 'x-amz-executed-version': '$LATEST' };
    if (outcome.ok) sendJson(response, 200, outcome.result, headers);
    else sendJson(response, 200, outcome.error, { ...headers, 'x-amz-function-error': 'Unhandled' });
  } catch (error) {
    if (!(error instanceof TooManyRequestsError)) throw error;
    sendError(response, 429, 'TooManyRequestsException', error.message, {
      Reason: 'ConcurrentInvocationLimitExceeded',
    });
  }
}

/** Lambda's own queue for Event invocations: waits for a slot, retries a failure twice. */
async function invokeAsync(pool: LambdaPool, name: string, event: unknown, log: (line: string) => void) {
  for (let attempt = 0; attempt <= ASYNC_RETRIES; attempt++) {
    try {
      const outcome = await pool.invoke(name, event);
      if (outcome.ok) return;
      log(
        `${name} (asynchronous, attempt ${attempt + 1}) failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`,
      );
    } catch (error) {
      log(`${name} (asynchronous, attempt ${attempt + 1}) was throttled: ${String(error)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
  }
  log(`${name}: asynchronous invocation dropped after ${ASYNC_RETRIES + 1} attempts`);
}

function sendError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
  extra: Record<string, string> = {},
): void {
  sendJson(response, status, { Type: 'User', message, ...extra }, { 'x-amzn-errortype': type });
}
