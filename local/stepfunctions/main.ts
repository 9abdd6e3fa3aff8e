/**
 * The local Step Functions service on its own: `tsx local/stepfunctions/main.ts`.
 * SFN_PORT (default 8083), SFN_TIME_SCALE (default 1 = AWS timing; 0.01 for quick runs),
 * AWS_ENDPOINT_URL_LAMBDA (where Task Lambda ARNs are invoked, e.g. serverless-offline's http://localhost:3002).
 */
import { createLambdaInvoker } from './lambda-invoker';
import { stopOnSignals } from '../processes';
import { startStepFunctionsServer } from './server';
import { withServiceIntegrations } from './integrations';

function numberFromEnv(variable: string, fallback: number, valid: (n: number) => boolean): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!valid(value)) throw new Error(`${variable}=${raw} is not valid`);
  return value;
}

async function main(): Promise<void> {
  const port = numberFromEnv('SFN_PORT', 8083, (n) => Number.isInteger(n) && n >= 0 && n <= 65535);
  const timeScale = numberFromEnv('SFN_TIME_SCALE', 1, (n) => Number.isFinite(n) && n >= 0);
  const invoker = createLambdaInvoker();
  const server = await startStepFunctionsServer({
    port,
    host: process.env.SFN_HOST ?? '127.0.0.1',
    timeScale,
    invokeTask: withServiceIntegrations(invoker),
    log: (line) => console.log(`[sfn] ${line}`),
  });
  console.log(`[sfn] Step Functions listening on ${server.url} (time scale ${timeScale})`);
  stopOnSignals(
    {
      stop: async () => {
        await server.stop();
        invoker.destroy();
      },
    },
    (line) => console.log(`[sfn] ${line}`),
  );
}

main().catch((error: unknown) => {
  console.error(`[sfn] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
