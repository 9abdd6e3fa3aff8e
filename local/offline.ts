import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:net';
import { FatalError, stopProcessGroup, waitUntil, type Stoppable } from './processes';

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
  const workFolder = join('.esbuild', `offline-${options.httpPort}`);
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
    env: {
      ...process.env,
      ...options.awsEnv,
      // Bundles of its own: another local cloud or `serverless package` may be building at the same time.
      ESBUILD_WORK_FOLDER: workFolder,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
    },
  });
  // Ready means serverless-offline itself said it listens: probing the ports alone could find another
  // program that took a port in the meantime, and send our requests there.
  const readyMarks = ['Offline [http for lambda] listening', 'Server ready:'];
  const seen = new Set<string>();
  let output = '';
  const forward = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      readyMarks.filter((mark) => line.includes(mark)).forEach((mark) => seen.add(mark));
      options.onOutput(line);
    }
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  const stop = async () => {
    await stopProcessGroup(child);
    await rm(workFolder, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      () => {
        if (child.exitCode !== null) {
          throw new FatalError(`serverless offline exited with code ${child.exitCode}:\n${output}`);
        }
        if (seen.size < readyMarks.length) throw new Error('not listening yet');
        return Promise.all([probePort(options.lambdaPort), probePort(options.httpPort)]);
      },
      {
        timeoutMs: 120_000,
        what: `serverless offline on ports ${options.httpPort} and ${options.lambdaPort}`,
      },
    );
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
