import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { stopProcessGroup, waitUntil, type Stoppable } from './processes';

export interface OfflineOptions {
  stage: string;
  httpPort: number;
  lambdaPort: number;
  /** Only AWS_* variables reach the functions (serverless-offline's rule); endpoints travel that way. Also read by
   * serverless.yml itself (${env:...}) when the process resolves it. */
  awsEnv: Record<string, string>;
  onOutput: (line: string) => void;
}

/**
 * Runs `serverless offline start`: the HttpApi routes and the Lambda invoke endpoint, executing the
 * same esbuild bundles that `serverless deploy` uploads.
 */
export async function startOffline(options: OfflineOptions): Promise<Stoppable> {
  const args = ['offline', 'start', '--stage', options.stage];
  args.push(
    '--httpPort',
    String(options.httpPort),
    '--lambdaPort',
    String(options.lambdaPort),
    '--host',
    '127.0.0.1',
  );
  const child = spawn('serverless', args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.awsEnv, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
  });
  const forward = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .forEach(options.onOutput);
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  const stop = () => stopProcessGroup(child);
  try {
    for (const port of [options.lambdaPort, options.httpPort]) {
      await waitUntil(
        async () => {
          if (child.exitCode !== null)
            throw new Error(`serverless offline exited with code ${child.exitCode}`);
          await probePort(port);
        },
        { timeoutMs: 120_000, what: `serverless offline on port ${port}`, intervalMs: 200 },
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

function probePort(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}
