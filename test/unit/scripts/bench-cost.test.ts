import { costOf, PRICES } from '../../../scripts/bench/cost';

const none = {
  transitions: 0,
  express: { executions: 0, billedSeconds: 0 },
  invocations: [],
  writeUnits: 0,
  readUnits: 0,
  apiRequests: 0,
  logBytes: 0,
};

describe('bench cost model', () => {
  it('prices each part of an order per million orders', () => {
    const cost = costOf({
      transitions: 20,
      express: { executions: 1, billedSeconds: 2.1 },
      invocations: [{ function: 'f', durationMs: 100, memoryMb: 1024 }],
      writeUnits: 10,
      readUnits: 4,
      apiRequests: 1,
      logBytes: 1024 ** 3 / 1e6,
    });

    const usd = Object.fromEntries(cost.breakdown.map(({ part, usd }) => [part, usd]));
    expect(usd['Step Functions transitions']).toBeCloseTo(20 * PRICES.stateTransition * 1e6);
    expect(usd['Step Functions Express']).toBeCloseTo(1 + 2.1 * (64 / 1024) * PRICES.expressGbSecond * 1e6);
    expect(usd['Lambda duration']).toBeCloseTo(0.1 * PRICES.lambdaGbSecond * 1e6);
    expect(usd['Lambda requests']).toBeCloseTo(0.2);
    expect(usd['DynamoDB writes']).toBeCloseTo(6.25);
    expect(usd['DynamoDB reads']).toBeCloseTo(0.5);
    expect(usd['HTTP API requests']).toBeCloseTo(1);
    expect(usd['CloudWatch Logs']).toBeCloseTo(0.5);
    expect(cost.dominant).toBe('Step Functions transitions');
    expect(cost.perMillionOrdersUsd).toBeCloseTo(cost.breakdown.reduce((sum, part) => sum + part.usd, 0));
  });

  it('bills Lambda by the millisecond, rounded up, and by the memory configured', () => {
    const cost = costOf({ ...none, invocations: [{ function: 'f', durationMs: 0.2, memoryMb: 512 }] });

    expect(cost.breakdown.find((p) => p.part === 'Lambda duration')?.usd).toBeCloseTo(
      0.001 * 0.5 * PRICES.lambdaGbSecond * 1e6,
    );
  });

  it('counts a function invoked several times an order that many times', () => {
    const once = costOf({ ...none, invocations: [{ function: 'f', durationMs: 10, memoryMb: 1024 }] });
    const twice = costOf({
      ...none,
      invocations: [{ function: 'f', durationMs: 10, memoryMb: 1024, perOrder: 2 }],
    });

    expect(twice.perMillionOrdersUsd).toBeCloseTo(2 * once.perMillionOrdersUsd);
  });

  it('costs nothing for an order that does nothing', () => {
    expect(costOf(none).perMillionOrdersUsd).toBe(0);
  });
});
