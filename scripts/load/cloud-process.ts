import { spawn, type ChildProcess } from 'node:child_process';
import { stopProcessGroup } from '../../local/processes';

/** `npm start` as a person runs it, in a child process the load tool can Ctrl-C and start again. */
export interface CloudProcess {
  /** Resolves with the exit code once it has stopped (SIGINT, as Ctrl-C). */
  stop(): Promise<number | null>;
  /** Settles if the local cloud exits on its own; the load run then fails loudly. */
  exited: Promise<number | null>;
}

/** Starts `tsx local/start.ts` and resolves once it prints its ready line. */
export function startCloudProcess(log: (line: string) => void): Promise<CloudProcess> {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'local/start.ts'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  let tail = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      tail = `${tail}\n${line}`.slice(-3000);
      if (/^(\[local\] (could not start|.* died)|Error)/.test(line)) log(line);
      if (line.startsWith('Ready in')) {
        log(`local cloud: ${line}`);
        resolve({ stop: () => interrupt(child, exited), exited });
      }
    };
    const forward = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(onLine);
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    void exited.then((code) => reject(new Error(`npm start exited (${code}) before it was ready:${tail}`)));
  });
}

async function interrupt(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGINT');
  const code = await Promise.race([exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 20_000))]);
  if (code !== 'late') return code;
  await stopProcessGroup(child);
  return null;
}
