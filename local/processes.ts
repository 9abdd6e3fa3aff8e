import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Stops a child started with `detached: true` and everything it spawned: SIGTERM to its process group,
 * then SIGKILL if it is still there after `graceMs`. Killing only the direct child can leave grandchildren
 * (a JVM, esbuild, worker threads' processes) holding ports.
 */
export async function stopProcessGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  // unref'd: a pending grace timer must not keep the caller (jest, npm start) alive after the group is gone.
  const inTime = await Promise.race([
    exited.then(() => true),
    sleep(graceMs, undefined, { ref: false }).then(() => false),
  ]);
  if (!inTime) {
    signalGroup(child.pid, 'SIGKILL');
    await exited;
  }
  // The leader may exit before the rest of its group: make sure nothing of the group survives.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Thrown by a `waitUntil` probe when waiting longer cannot help (the process died). */
export class FatalError extends Error {
  override name = 'FatalError';
}

/** Retries `probe` until it resolves, or fails with the last error after `timeoutMs`. */
export async function waitUntil(
  probe: () => Promise<unknown>,
  { timeoutMs, what, intervalMs = 100 }: { timeoutMs: number; what: string; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (error instanceof FatalError) throw error;
      if (Date.now() > deadline) {
        throw new Error(`${what} was not ready after ${timeoutMs / 1000} s: ${String(error)}`, {
          cause: error,
        });
      }
      await sleep(intervalMs);
    }
  }
}

/** Thrown when a port the local cloud needs is taken; names the port and the variable that moves it. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(
      `Port ${port} is already in use. Stop what uses it, or choose another port with ${variable}=<port>.`,
    );
    this.name = 'PortInUseError';
  }
}

/** Resolves when `port` is free on 127.0.0.1; rejects with PortInUseError otherwise. */
export async function assertPortFree(port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, variable) : error),
    );
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Stops `service` once on SIGINT (Ctrl-C), SIGTERM or SIGHUP, then exits: 0 when everything stopped, 1 otherwise.
 * `log` says what is happening while children shut down.
 */
export function stopOnSignals(service: Stoppable, log: (line: string) => void): void {
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping…`);
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // A closed terminal: without a handler Node would exit at once and skip the shutdown.
  process.on('SIGHUP', shutdown);
}
