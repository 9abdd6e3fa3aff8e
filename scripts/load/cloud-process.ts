import { spawn, type ChildProcess } from 'node:child_process';
import { stopProcessGroup } from '../../local';

/** `npm start` as a person runs it, in a child process the load tool can Ctrl-C and start again. */
export interface CloudProcess {
  /** Resolves with the exit code once it has stopped (SIGINT, as Ctrl-C). */
  stop(): Promise<number | null>;
  /** Settles if the local cloud exits on its own; the load run then fails loudly. */
  exited: Promise<number | null>;
  /** What the local cloud reported so far: Lambda timeouts and Task retries (its log lines). */
  counters: { lambdaTimeouts: number; taskRetries: number };
}

/**
 * Starts `tsx local/start.ts` and resolves once it prints its ready line. `env` moves it (ports, LOCAL_DATA_DIR,
 * SFN_TIME_SCALE) for a test beside another local cloud.
 */
export function startCloudProcess(
  log: (line: string) => void,
  env: Record<string, string> = {},
): Promise<CloudProcess & { output: () => string }> {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'local/start.ts'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let tail = '';
  const counters = { lambdaTimeouts: 0, taskRetries: 0 };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      tail = `${tail}\n${line}`.slice(-3000);
      if (line.includes('(Sandbox.Timedout)')) counters.lambdaTimeouts++;
      if (/failed with .* \(attempt \d+\); retrying/.test(line)) counters.taskRetries++;
      if (/^(\[local\] (could not start|.* died)|Error)/.test(line)) log(line);
      if (line.startsWith('Ready in')) {
        log(`local cloud: ${line}`);
        resolve({ stop: () => interrupt(child, exited), exited, counters, output: () => tail });
      }
    };
    const forward = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(onLine);
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    void exited.then((code) => reject(new Error(`npm start exited (${code}) before it was ready:${tail}`)));
  });
}

/** How long a Ctrl-C'd local cloud may take to stop in order before its whole process group is killed. */
const STOP_GRACE_MS = 60_000;

async function interrupt(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGINT');
  let grace: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (grace = setTimeout(() => resolve('late'), STOP_GRACE_MS)));
  // Cleared as soon as the cloud has stopped: a pending timer would keep this process (the load tool, a jest
  // worker) alive for the rest of the minute.
  const code = await Promise.race([exited, late]).finally(() => clearTimeout(grace));
  if (code !== 'late') return code;
  await stopProcessGroup(child);
  return null;
}
