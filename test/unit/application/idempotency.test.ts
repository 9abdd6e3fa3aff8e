import fc from 'fast-check';
import { runOnce, type IdempotentRequest } from '../../../src/application/idempotency';
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  ServiceUnavailable,
} from '../../../src/domain/errors';
import { InMemoryIdempotencyStore } from '../support/in-memory-idempotency';

const POLICY = { keyPrefix: 'op', expiresAfterSeconds: 60 };

function setup() {
  const store = new InMemoryIdempotencyStore<{ n: number; label: string }>();
  let now = new Date('2025-01-01T00:00:00.000Z');
  let runs = 0;
  const lost: unknown[] = [];
  const deps = { store, clock: () => now, completionLost: (error: unknown) => lost.push(error) };
  const request = (key: string, payload: unknown = { a: 1 }, lockForMillis = 10_000): IdempotentRequest => ({
    key,
    payload,
    lockForMillis,
  });
  const operation = () => Promise.resolve({ n: ++runs, label: `run ${runs}` });
  return {
    store,
    run: (req: IdempotentRequest, op = operation) => runOnce(deps, POLICY, req, op),
    request,
    runs: () => runs,
    lost,
    advance: (millis: number) => (now = new Date(now.getTime() + millis)),
  };
}

/** An operation that stays running until its test lets it finish. */
function runningOperation() {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  return { op: () => finished.then(() => ({ n: 0, label: 'held' })), finish };
}

describe('runOnce', () => {
  it('runs the operation once per key and answers a repeat with the first result', async () => {
    const { run, request, runs } = setup();

    const first = await run(request('k'));
    const second = await run(request('k'));

    expect(second).toEqual(first);
    expect(runs()).toBe(1);
  });

  it('runs the operation for each new key', async () => {
    const { run, request, runs } = setup();

    await run(request('k1'));
    await run(request('k2'));

    expect(runs()).toBe(2);
  });

  it('refuses the key with another payload', async () => {
    const { run, request } = setup();
    await run(request('k', { a: 1 }));

    await expect(run(request('k', { a: 2 }))).rejects.toThrow(IdempotencyKeyReusedError);
  });

  it('answers a repeat while the first still runs with IdempotencyKeyInProgressError', async () => {
    const { run, request } = setup();
    const held = runningOperation();
    const first = run(request('k'), held.op);

    await expect(run(request('k'))).rejects.toThrow(IdempotencyKeyInProgressError);
    held.finish();
    await expect(first).resolves.toEqual({ n: 0, label: 'held' });
  });

  it('refuses another payload even while the first still runs', async () => {
    const { run, request } = setup();
    const held = runningOperation();
    const first = run(request('k'), held.op);

    await expect(run(request('k', { a: 2 }))).rejects.toThrow(IdempotencyKeyReusedError);
    held.finish();
    await first;
  });

  it('lets a retry take over a key whose first request ran past its lock (its Lambda timed out)', async () => {
    const { run, request, advance } = setup();
    void run(request('k', { a: 1 }, 1_000), runningOperation().op);
    advance(1_001);

    await expect(run(request('k'))).resolves.toEqual({ n: 1, label: 'run 1' });
  });

  it('runs the operation again once the first result has expired', async () => {
    const { run, request, advance, runs } = setup();
    await run(request('k'));
    advance(POLICY.expiresAfterSeconds * 1000 + 1);

    await run(request('k', { a: 2 }));

    expect(runs()).toBe(2);
  });

  it('releases the key when the operation fails, so a retry runs it, and passes its error on', async () => {
    const { run, request, runs } = setup();
    const failure = new Error('workflow not started');

    await expect(run(request('k'), () => Promise.reject(failure))).rejects.toBe(failure);
    await run(request('k'));

    expect(runs()).toBe(1);
  });

  it('answers the result when the store fails to record it, reports the loss and keeps the key locked', async () => {
    const { run, request, store, lost, runs } = setup();
    const cause = new Error('ProvisionedThroughputExceededException');
    store.complete = () => Promise.reject<never>(cause);

    const result = await run(request('k'));

    expect(result).toEqual({ n: 1, label: 'run 1' });
    expect(lost).toEqual([cause]);
    await expect(run(request('k'))).rejects.toThrow(IdempotencyKeyInProgressError);
    expect(runs()).toBe(1);
  });

  it.each(['claim', 'release'] as const)(
    'turns a failure of the store to %s into ServiceUnavailable',
    async (action) => {
      const { run, request, store } = setup();
      const cause = new Error('AccessDeniedException');
      store[action] = () => Promise.reject<never>(cause);
      const op = action === 'release' ? () => Promise.reject(new Error('failed')) : undefined;

      const outcome = run(request('k'), op);

      await expect(outcome).rejects.toThrow(ServiceUnavailable);
      await expect(outcome).rejects.toHaveProperty('cause', cause);
    },
  );

  it('passes a ServiceUnavailable of the store on as it is', async () => {
    const { run, request, store } = setup();
    const throttled = new ServiceUnavailable('DynamoDB PutItem (idempotency claim) failed transiently');
    store.claim = () => Promise.reject(throttled);

    await expect(run(request('k'))).rejects.toBe(throttled);
  });

  it('for any sequence of requests, runs each key once and answers each repeat with its first result or a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), payload: fc.constantFrom(1, 2) }), {
          maxLength: 20,
        }),
        async (requests) => {
          const { run, request, runs } = setup();
          const first = new Map<string, { payload: number; result: unknown }>();

          for (const { key, payload } of requests) {
            const earlier = first.get(key);
            const outcome = run(request(key, payload));
            if (!earlier) first.set(key, { payload, result: await outcome });
            else if (earlier.payload === payload) await expect(outcome).resolves.toEqual(earlier.result);
            else await expect(outcome).rejects.toThrow(IdempotencyKeyReusedError);
          }

          expect(runs()).toBe(first.size);
        },
      ),
    );
  });
});
