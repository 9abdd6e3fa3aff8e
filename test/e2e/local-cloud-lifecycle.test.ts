import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts } from '../../local';

// `npm start` as a person runs it, on free ports: started, then stopped with Ctrl-C (SIGINT).
jest.setTimeout(180_000);

async function listen(port = 0): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** Whether a listen on 127.0.0.1:port succeeds, as the cloud's own port check does. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return address.port;
}

function startLocalCloud(env: Record<string, string>): {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
} {
  const child = spawn('tsx', ['local/start.ts'], { env: { ...process.env, ...env }, detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((r) => child.once('exit', r));
}

/**
 * Processes the started cloud left: its own process group, and DynamoDB Local and serverless-offline (each in a
 * group of its own), recognised by the ports on their command lines.
 */
async function leftovers(pgid: number, ports: { dynamodb: number; http: number }): Promise<string[]> {
  const ps = spawn('ps', ['-eo', 'pgid=,pid=,args=']);
  let text = '';
  ps.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await new Promise((resolve) => ps.once('exit', resolve));
  return text
    .split('\n')
    .filter(
      (line) =>
        line.trim().split(/\s+/)[0] === String(pgid) ||
        line.includes(`-port ${ports.dynamodb}`) ||
        line.includes(`--httpPort ${ports.http}`),
    )
    .filter((line) => !line.includes('ps -eo'));
}

describe('npm start', () => {
  it('gets ready, then stops every process it started and frees its ports on Ctrl-C', async () => {
    const { http, lambda, dynamodb, stepFunctions: sfn } = await freePorts();
    const dataDir = mkdtempSync(join(tmpdir(), 'order-processing-lifecycle-'));
    const { child, output } = startLocalCloud({
      HTTP_PORT: String(http),
      LAMBDA_PORT: String(lambda),
      DYNAMODB_PORT: String(dynamodb),
      SFN_PORT: String(sfn),
      // Not the developer's .local/ data, which an `npm start` may be using right now.
      LOCAL_DATA_DIR: dataDir,
    });
    const deadline = Date.now() + 150_000;
    while (!output().includes('Ready in') && child.exitCode === null && Date.now() < deadline)
      await sleep(200);
    expect(output()).toContain(`http://127.0.0.1:${http}`);
    expect(output()).toContain(`curl -si -X POST http://127.0.0.1:${http}/orders`);

    expect(await leftovers(child.pid ?? -1, { dynamodb, http })).not.toEqual([]);

    child.kill('SIGINT');
    const code = await exited(child);
    // The processes are gone once the cloud exits; ps may still list one for an instant while it is reaped.
    let left = await leftovers(child.pid ?? -1, { dynamodb, http });
    for (let tries = 0; left.length > 0 && tries < 10; tries++) {
      await sleep(200);
      left = await leftovers(child.pid ?? -1, { dynamodb, http });
    }

    expect(code).toBe(0);
    expect(left).toEqual([]);
    rmSync(dataDir, { recursive: true, force: true });
    for (const port of [http, lambda, dynamodb, sfn]) expect(await portIsFree(port)).toBe(true);
  });

  it('refuses a busy port, naming the port and the variable that moves it', async () => {
    const busy = await listen();
    const port = portOf(busy);
    try {
      const { child, output } = startLocalCloud({ HTTP_PORT: String(port) });

      const code = await exited(child);

      expect(code).toBe(1);
      expect(output()).toContain(`Port ${port} is already in use`);
      expect(output()).toContain('HTTP_PORT=');
    } finally {
      busy.close();
    }
  });
});
