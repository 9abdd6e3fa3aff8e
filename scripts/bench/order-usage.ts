/**
 * What one order uses on AWS, from this run: the in-process count (transitions, Express executions, DynamoDB request
 * units) and the
 * half-rate e2e run (each function's invocations and mean run time on the local Lambda service, the bytes the
 * functions logged, the HTTP API requests).
 */
import type { OrderUsage } from './cost';
import type { BenchConfig } from './config';
import type { PerOrder } from './in-process';

/** Lambda writes START, END and REPORT lines for every invocation (~300 bytes with the REPORT's figures). */
const PLATFORM_LOG_BYTES_PER_INVOCATION = 300;

export interface MeasuredRun {
  orders: number;
  /** Per function key: invocations and summed run time (ms) over the run. */
  durations: ReadonlyMap<string, { invocations: number; totalMs: number }>;
  logBytes: number;
}

export function orderUsage(config: BenchConfig, perOrder: PerOrder, run: MeasuredRun): OrderUsage {
  const invocations = [...run.durations].map(([key, { invocations: count, totalMs }]) => ({
    function: key,
    perOrder: count / run.orders,
    durationMs: totalMs / count,
    memoryMb: config.functions[key]?.memorySize ?? NaN,
  }));
  const apiRequests = invocations
    .filter((call) => (config.functions[call.function]?.httpRoutes.length ?? 0) > 0)
    .reduce((sum, call) => sum + call.perOrder, 0);
  const invocationsPerOrder = invocations.reduce((sum, call) => sum + call.perOrder, 0);
  return {
    transitions: perOrder.standardTransitions,
    express: perOrder.express,
    invocations,
    writeUnits: perOrder.writeUnits,
    readUnits: perOrder.readUnits,
    apiRequests,
    logBytes: run.logBytes / run.orders + invocationsPerOrder * PLATFORM_LOG_BYTES_PER_INVOCATION,
  };
}
