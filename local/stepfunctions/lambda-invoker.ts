import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { InvokeTask, Json } from './engine';
import { StatesError } from './runtime-errors';

export interface LambdaInvokerOptions {
  /** Lambda endpoint (serverless-offline: http://localhost:3002); default: the SDK's AWS_ENDPOINT_URL_LAMBDA. */
  endpoint?: string;
  region?: string;
}

/**
 * Invokes Task resources through the Lambda API, as Step Functions does: FunctionName is the function's
 * name taken from its ARN; a FunctionError becomes an error named by the payload's errorType whose cause
 * is the payload text ('{"errorType":...,"errorMessage":...,"trace":[...]}'); a failing Lambda API call
 * becomes `Lambda.<Exception>`.
 */
export function createLambdaInvoker(options: LambdaInvokerOptions = {}): InvokeTask & { destroy(): void } {
  const hasCredentials = process.env.AWS_ACCESS_KEY_ID !== undefined || process.env.AWS_PROFILE !== undefined;
  const client = new LambdaClient({
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    // Local Lambda endpoints ignore signatures; dummies spare a laptop without AWS credentials.
    ...(hasCredentials ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  });
  const invoke = async (target: string, input: Json): Promise<Json> => {
    let response;
    try {
      response = await client.send(
        new InvokeCommand({
          FunctionName: functionName(target),
          Payload: new TextEncoder().encode(JSON.stringify(input)),
        }),
      );
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      const known = typeof (error as { $metadata?: unknown }).$metadata === 'object' && name !== 'Error';
      throw new StatesError(known ? `Lambda.${name}` : 'Lambda.SdkClientException', message);
    }
    const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
    if (response.FunctionError) {
      const failure = lambdaFailure(text);
      throw new StatesError(failure.errorType ?? response.FunctionError, failure.cause);
    }
    return text === '' ? null : (JSON.parse(text) as Json);
  };
  return Object.assign(invoke, { destroy: () => client.destroy() });
}

/**
 * The function a Lambda target names: `arn:aws:lambda:us-east-1:000000000000:function:name[:qualifier]`, a partial
 * ARN (`000000000000:function:name`) or a bare name -> `name`.
 */
export function functionName(target: string): string {
  const match = /(?:^|:)function:([^:]+)/.exec(target);
  return match?.[1] ?? target;
}

interface LambdaErrorPayload {
  errorType?: unknown;
  errorMessage?: unknown;
  trace?: unknown;
}

/**
 * Reads a function error payload as Step Functions does: Error = errorType, Cause = the payload text.
 * serverless-offline reports every thrown error as errorType "Error" (its worker threads lose the class), while
 * AWS Lambda reports the error's `name`; the first trace line ("PaymentFailedError: card declined") still has the
 * name, so we restore it there, and the ASL's Retry/Catch match locally exactly as on AWS.
 */
export function lambdaFailure(text: string): { errorType?: string; cause: string } {
  let payload: LambdaErrorPayload;
  try {
    payload = JSON.parse(text) as LambdaErrorPayload;
  } catch {
    return { cause: text };
  }
  if (typeof payload.errorType !== 'string') return { cause: text };
  const header = Array.isArray(payload.trace) && typeof payload.trace[0] === 'string' ? payload.trace[0] : '';
  const named = /^([A-Za-z_$][\w$.]*): /.exec(header)?.[1];
  if (payload.errorType !== 'Error' || named === undefined || named === 'Error') {
    return { errorType: payload.errorType, cause: text };
  }
  return { errorType: named, cause: JSON.stringify({ ...payload, errorType: named }) };
}
