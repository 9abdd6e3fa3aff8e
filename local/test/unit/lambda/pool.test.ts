import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LambdaPool, TooManyRequestsError, type ConcurrencyLimits } from '../../../lambda/pool';
import type { FunctionSpec, InvocationOutcome } from '../../../lambda/worker';

/**
 * The local Lambda pool with real worker processes: a handler that waits for as long as its event says, so tests
 * can hold slots busy and watch the queue. No assertion depends on how long anything takes.
 */
// Worker processes start slowly on a loaded machine; no assertion is about time.
jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'lambda-pool-'));
const handlerPath = join(dir, 'slow.js');
writeFileSync(
  handlerPath,
  `exports.handler = async (event, context) => {
     if (event.crash) process.exit(3);
     if (event.fail) { const e = new Error('no luck'); e.name = 'PaymentFailedError'; throw e; }
     await new Promise((resolve) => setTimeout(resolve, event.ms ?? 0));
     return { echo: event.value ?? null, remaining: context.getRemainingTimeInMillis() > 0, pid: process.pid, execArgv: process.execArgv };
   };`,
);
let runtimePath = '';

beforeAll(async () => {
  await build({
    entryPoints: { runtime: join(__dirname, '../../../lambda/runtime.ts') },
    outdir: dir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'error',
  });
  runtimePath = join(dir, 'runtime.js');
});

function spec(key: string, timeoutSeconds = 30): FunctionSpec {
  return {
    key,
    name: `svc-local-${key}`,
    bundlePath: handlerPath,
    exportName: 'handler',
    timeoutSeconds,
    memorySize: 128,
    region: 'us-east-1',
    accountId: '000000000000',
    environment: {},
  };
}

function pool(limits: Partial<ConcurrencyLimits> = {}, functions = [spec('slow')]): LambdaPool {
  const specs = new Map(functions.flatMap((s) => [[s.key, s] as const, [s.name, s] as const]));
  return new LambdaPool(
    specs,
    { runtimePath, baseEnvironment: { PATH: process.env.PATH ?? '' }, onOutput: () => {}, log: () => {} },
    {
      total: 2,
      perFunction: 2,
      queue: 10,
      admission: 1,
      warm: 10,
      idleSeconds: 600,
      startingAtOnce: 4,
      ...limits,
    },
  );
}

const pools: LambdaPool[] = [];
afterEach(() => pools.splice(0).forEach((p) => p.stop()));
const make = (...args: Parameters<typeof pool>) => {
  const created = pool(...args);
  pools.push(created);
  return created;
};

describe('LambdaPool', () => {
  it("runs each environment with the heap limits Lambda's bootstrap derives from the function's memory", async () => {
    const outcome = await make().invoke('slow', {});
    // 128 MB: a tenth for the young generation (two semi-spaces of 6 MB), the other 116 MB for the old one.
    expect(outcome).toMatchObject({
      ok: true,
      result: { execArgv: expect.arrayContaining(['--max-semi-space-size=6', '--max-old-space-size=116']) },
    });
  });

  it('runs an invocation on a worker process and answers its result', async () => {
    const lambda = make();

    const outcome = await lambda.invoke('slow', { value: 42 });

    expect(outcome).toMatchObject({ ok: true, result: { echo: 42, remaining: true } });
  });

  it("answers a thrown error with its name as errorType, as Lambda's function error payload", async () => {
    const outcome = await make().invoke('svc-local-slow', { fail: true });

    expect(outcome).toMatchObject({
      ok: false,
      error: { errorType: 'PaymentFailedError', errorMessage: 'no luck' },
    });
  });

  it('keeps an environment warm: the next invocation runs in the same process', async () => {
    const lambda = make();

    const first = await lambda.invoke('slow', {});
    const second = await lambda.invoke('slow', {});

    expect(first.ok && second.ok && (first.result as { pid: number }).pid).toBe(
      second.ok && (second.result as { pid: number }).pid,
    );
    expect(lambda.stats.coldStarts).toBe(1);
  });

  it('queues invocations over the concurrency limit and runs them all, one per environment at a time', async () => {
    const lambda = make({ total: 2, perFunction: 2, queue: 10 });

    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => lambda.invoke('slow', { ms: 50, value: i })),
    );

    expect(outcomes.map((o) => o.ok && (o.result as { echo: number }).echo)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(lambda.stats.maxQueued).toBeGreaterThanOrEqual(1);
    expect(lambda.stats.coldStarts).toBeLessThanOrEqual(2);
  });

  it('never lets one function take more than its own limit, leaving room for the others', async () => {
    const lambda = make({ total: 3, perFunction: 1 }, [spec('a'), spec('b')]);

    const slowA = [lambda.invoke('a', { ms: 100 }), lambda.invoke('a', { ms: 100 })];
    const b = lambda.invoke('b', { value: 'b' });

    // The second 'a' waits for the first although a slot is free; 'b' takes that slot.
    expect(lambda.queued).toBe(1);
    await expect(b).resolves.toMatchObject({ ok: true, result: { echo: 'b' } });
    await Promise.all(slowA);
  });

  it('starts at most `startingAtOnce` environments at once; the other invocations wait for one, then all run', async () => {
    const lambda = make({ total: 4, perFunction: 4, startingAtOnce: 1 });

    const outcomes = await Promise.all([1, 2, 3, 4].map((value) => lambda.invoke('slow', { value })));

    expect(outcomes.map((outcome) => (outcome.ok ? outcome.result : outcome.error))).toMatchObject([
      { echo: 1 },
      { echo: 2 },
      { echo: 3 },
      { echo: 4 },
    ]);
    expect(lambda.stats.maxStarting).toBe(1);
    expect(lambda.stats.coldStarts).toBeGreaterThanOrEqual(1);
  });

  it('keeps at most `warm` environments, stopping the least recently used idle one for a cold start', async () => {
    const functions = ['a', 'b', 'c', 'd'].map((key) => spec(key));
    const lambda = make({ total: 4, perFunction: 1, warm: 2 }, functions);
    const pids: number[] = [];

    for (const f of functions) pids.push(pidOf(await lambda.invoke(f.key, {})));

    const [first, second] = pids as [number, number];
    await waitUntil(() => !processIsAlive(first) && !processIsAlive(second));
    expect(pids.map(processIsAlive)).toEqual([false, false, true, true]);
    expect(lambda.stats.coldStarts).toBe(4);
  });

  it('stops an environment idle for longer than idleSeconds', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'performance'] });
    try {
      const lambda = make({ idleSeconds: 1 });
      const pid = pidOf(await lambda.invoke('slow', {}));

      jest.setSystemTime(Date.now() + 5_000);
      jest.advanceTimersByTime(5_000);

      await waitUntil(() => !processIsAlive(pid));
      expect(processIsAlive(pid)).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses with TooManyRequestsException once a queue is full: API requests past `admission`, other work past `queue`', async () => {
    const lambda = make({ total: 1, perFunction: 1, queue: 2, admission: 1 });
    const busy = lambda.invoke('slow', { ms: 300 });
    const request = lambda.invoke('slow', {}, { frontDoor: true });

    expect(lambda.admitsFrontDoor('slow')).toBe(false);
    await expect(lambda.invoke('slow', {}, { frontDoor: true })).rejects.toThrow(TooManyRequestsError);
    const internal = [lambda.invoke('slow', {}), lambda.invoke('slow', {})];
    await expect(lambda.invoke('slow', {})).rejects.toThrow(TooManyRequestsError);
    await Promise.all([busy, request, ...internal]);
    expect(lambda.admitsFrontDoor('slow')).toBe(true);
    expect(lambda.stats.throttled).toBe(3);
  });

  it('runs the work of running workflows before API requests that waited longer', async () => {
    const lambda = make({ total: 1, perFunction: 1, queue: 10, admission: 10 });
    const order: string[] = [];
    const track = (name: string, outcome: Promise<unknown>) => outcome.then(() => order.push(name));
    const busy = lambda.invoke('slow', { ms: 200 });

    const requests = [track('request 1', lambda.invoke('slow', {}, { frontDoor: true }))];
    requests.push(track('request 2', lambda.invoke('slow', {}, { frontDoor: true })));
    const task = track('task', lambda.invoke('slow', {}));
    await Promise.all([busy, task, ...requests]);

    expect(order).toEqual(['task', 'request 1', 'request 2']);
  });

  it('starts the timeout when the function starts, never while it waits in the queue', async () => {
    const lambda = make({ total: 1, perFunction: 1 }, [spec('slow', 4)]);
    const started: number[] = [];

    const first = lambda.invoke('slow', { ms: 2500 }, { onStarted: () => started.push(1) });
    const second = lambda.invoke('slow', { ms: 2500 }, { onStarted: () => started.push(2) });

    // Each runs 2.5 s of its 4 s; the second waited 2.5 s in the queue first and must not time out for it.
    await expect(Promise.all([first, second])).resolves.toEqual([
      expect.objectContaining({ ok: true }),
      expect.objectContaining({ ok: true }),
    ]);
    expect(started).toEqual([1, 2]);
  });

  it('ends an invocation that outlives its timeout with Sandbox.Timedout and a fresh environment next time', async () => {
    const lambda = make({}, [spec('slow', 1)]);

    const outcome = await lambda.invoke('slow', { ms: 5_000 });
    const next = await lambda.invoke('slow', { value: 'after' });

    expect(outcome).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout' } });
    expect(next).toMatchObject({ ok: true, result: { echo: 'after' } });
    expect(lambda.stats.timeouts).toBe(1);
  });

  it('answers Runtime.ExitError when the process dies during an invocation, and carries on', async () => {
    const lambda = make();

    const outcome = await lambda.invoke('slow', { crash: true });
    const next = await lambda.invoke('slow', { value: 'after' });

    expect(outcome).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError' } });
    expect(next).toMatchObject({ ok: true });
  });
});

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pidOf(outcome: InvocationOutcome): number {
  if (!outcome.ok) throw new Error(`invocation failed: ${outcome.error.errorMessage}`);
  return (outcome.result as { pid: number }).pid;
}

/** Process exits arrive asynchronously; a bounded wait, the jest timeout being the bound. */
async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
