import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { localFunctionArn } from '../serverless-config';
import type { Json } from '../stepfunctions/engine';
import type { KitState } from './state';

/** A Lambda handler as the Node.js runtime calls it. */
type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ROOT = join(__dirname, '..', '..');

/** What the kit sets on top of serverless.yml's environment: quiet, no tracing, no metrics. */
function kitEnvironment(): Record<string, string> {
  return {
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.WORKFLOW_LOG === '1' ? 'DEBUG' : 'SILENT',
  };
}

/**
 * A Lambda function's failure as Step Functions sees it: Error = the thrown error's name, Cause = the
 * runtime's JSON {errorType, errorMessage, trace}. The engine takes `name` as the Error and a string `cause`
 * as the Cause.
 */
export class LambdaFunctionError extends Error {
  constructor(thrown: unknown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const payload = {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? `${error.name}: ${error.message}`).split('\n'),
    };
    super(error.message, { cause: JSON.stringify(payload) });
    this.name = error.name;
  }
}

/**
 * Runs serverless.yml's functions in this process: the module and export its `handler` names, loaded once
 * per test file with the function's environment set first (handlers read their configuration at load time).
 */
export class InProcessLambdas {
  private readonly loaded = new Map<string, Promise<Handler>>();
  private readonly byName: Map<string, string>;

  constructor(private readonly state: KitState) {
    this.byName = new Map(Object.entries(state.functions).map(([key, fn]) => [fn.name, key]));
  }

  /** The ARN the kit gives a function key in the definitions it runs. */
  arnOf(functionKey: string): string {
    const fn = this.state.functions[functionKey];
    if (!fn) {
      throw new Error(
        `The state machine references \${${functionKey}FunctionArn}, but serverless.yml has no function "${functionKey}"`,
      );
    }
    return localFunctionArn(this.state.region, fn.name);
  }

  /** The function key a Lambda ARN of `arnOf` names. */
  keyOf(arn: string): string | undefined {
    return this.byName.get(arn.split(':')[6] ?? '');
  }

  /**
   * Invokes the function as Lambda would: the event and result go through JSON, a thrown error becomes a
   * LambdaFunctionError.
   */
  async invoke(functionKey: string, event: Json, timeoutSeconds = 10): Promise<Json> {
    const handler = await this.load(functionKey);
    const fn = this.state.functions[functionKey];
    const deadline = Date.now() + timeoutSeconds * 1000;
    let result: unknown;
    try {
      const context = lambdaContext(fn?.name ?? functionKey, this.arnOf(functionKey), deadline);
      result = await handler(structuredClone(event), context);
    } catch (thrown) {
      throw new LambdaFunctionError(thrown);
    }
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as Json);
  }

  private load(functionKey: string): Promise<Handler> {
    let handler = this.loaded.get(functionKey);
    if (!handler) {
      handler = this.import(functionKey);
      this.loaded.set(functionKey, handler);
    }
    return handler;
  }

  private async import(functionKey: string): Promise<Handler> {
    const fn = this.state.functions[functionKey];
    if (!fn) throw new Error(`serverless.yml has no function "${functionKey}"`);
    const dot = fn.handler.lastIndexOf('.');
    const [file, exportName] = [fn.handler.slice(0, dot), fn.handler.slice(dot + 1)];
    // NODE_OPTIONS configures a runtime at its start; this process is already running.
    const environment = Object.entries(fn.environment).filter(([name]) => name !== 'NODE_OPTIONS');
    Object.assign(process.env, Object.fromEntries(environment), kitEnvironment());
    const module = (await import(join(ROOT, file))) as Record<string, unknown>;
    const handler = module[exportName];
    if (typeof handler !== 'function') {
      throw new Error(`${file} has no function export "${exportName}" (serverless.yml: ${fn.handler})`);
    }
    return handler as Handler;
  }
}

/** The Lambda context object, with what Powertools and middy read from it. */
function lambdaContext(functionName: string, functionArn: string, deadline: number): Context {
  const unsupported = () => {
    throw new Error('The callback-style context methods are not supported');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'workflow-kit',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
