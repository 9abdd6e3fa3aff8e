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
      throw new StatesError(errorType(text) ?? response.FunctionError, text);
    }
    return text === '' ? null : (JSON.parse(text) as Json);
  };
  return Object.assign(invoke, { destroy: () => client.destroy() });
}

/** `arn:aws:lambda:us-east-1:000000000000:function:name[:qualifier]` -> `name`; a bare name stays as is. */
export function functionName(target: string): string {
  const match = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(target);
  return match?.[1] ?? target;
}

function errorType(payload: string): string | undefined {
  try {
    const parsed = JSON.parse(payload) as { errorType?: unknown };
    return typeof parsed.errorType === 'string' ? parsed.errorType : undefined;
  } catch {
    return undefined;
  }
}
