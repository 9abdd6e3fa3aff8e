/**
 * What an order costs on AWS at list prices, from what one order does (counted by the bench's in-process run).
 * Prices: us-east-1, arm64, on-demand, beyond the free tiers, as AWS lists them on its pricing pages (read
 * 2026-12-02): change them here when AWS does.
 */

/** USD per unit, with the page each comes from. */
export const PRICES = {
  /** Step Functions Standard: $0.025 per 1,000 state transitions. aws.amazon.com/step-functions/pricing */
  stateTransition: 0.025 / 1000,
  /** Step Functions Express: $1.00 per million requests (executions started). aws.amazon.com/step-functions/pricing */
  expressRequest: 1.0 / 1e6,
  /** Step Functions Express duration: $0.00001667 per GB-second (first 1,000 hours of GB a month), by the 100 ms. */
  expressGbSecond: 0.00001667,
  /** Lambda arm64: $0.0000133334 per GB-second (first 7.5 billion GB-s a month). aws.amazon.com/lambda/pricing */
  lambdaGbSecond: 0.0000133334,
  /** Lambda requests: $0.20 per million. aws.amazon.com/lambda/pricing */
  lambdaRequest: 0.2 / 1e6,
  /** DynamoDB on-demand write request unit: $0.625 per million. aws.amazon.com/dynamodb/pricing/on-demand */
  dynamoDbWriteUnit: 0.625 / 1e6,
  /** DynamoDB on-demand read request unit: $0.125 per million (a strongly consistent read of up to 4 KB is one). */
  dynamoDbReadUnit: 0.125 / 1e6,
  /** API Gateway HTTP API: $1.00 per million requests (first 300 million a month). aws.amazon.com/api-gateway/pricing */
  httpApiRequest: 1.0 / 1e6,
  /** CloudWatch Logs ingestion: $0.50 per GB. aws.amazon.com/cloudwatch/pricing */
  logGb: 0.5,
} as const;

/** Express workflows bill memory in 64 MB steps; a machine as small as the sandbox carrier's takes the first. */
const EXPRESS_MEMORY_GB = 64 / 1024;

/** What one order does on AWS. */
export interface OrderUsage {
  /** State transitions of the Standard machines the order runs (the fulfilment child included). */
  transitions: number;
  /** Executions of Express machines (the sandbox carrier's round) and their billed seconds. */
  express: { executions: number; billedSeconds: number };
  /**
   * Each function's invocations: how many an order makes (default 1), the billed duration of one (ms, rounded up to
   * 1 ms as Lambda bills) and the memory configured (MB).
   */
  invocations: { function: string; durationMs: number; memoryMb: number; perOrder?: number }[];
  /** DynamoDB request units (a write of up to 1 KB is one unit; transactional writes count twice). */
  writeUnits: number;
  readUnits: number;
  /** HTTP API requests (POST /orders, the carrier's webhook, a GET of the order...). */
  apiRequests: number;
  /** Bytes the functions and state machines write to CloudWatch Logs. */
  logBytes: number;
}

export interface OrderCost {
  perMillionOrdersUsd: number;
  /** USD per million orders, by part, largest first. */
  breakdown: { part: string; usd: number; share: number }[];
  dominant: string;
}

const MILLION = 1e6;

export function costOf(usage: OrderUsage): OrderCost {
  const gbSeconds = usage.invocations.reduce(
    (sum, call) => sum + (call.perOrder ?? 1) * (Math.ceil(call.durationMs) / 1000) * (call.memoryMb / 1024),
    0,
  );
  const requests = usage.invocations.reduce((sum, call) => sum + (call.perOrder ?? 1), 0);
  const parts: Record<string, number> = {
    'Step Functions transitions': usage.transitions * PRICES.stateTransition,
    'Step Functions Express':
      usage.express.executions * PRICES.expressRequest +
      usage.express.billedSeconds * EXPRESS_MEMORY_GB * PRICES.expressGbSecond,
    'Lambda duration': gbSeconds * PRICES.lambdaGbSecond,
    'Lambda requests': requests * PRICES.lambdaRequest,
    'DynamoDB writes': usage.writeUnits * PRICES.dynamoDbWriteUnit,
    'DynamoDB reads': usage.readUnits * PRICES.dynamoDbReadUnit,
    'HTTP API requests': usage.apiRequests * PRICES.httpApiRequest,
    'CloudWatch Logs': (usage.logBytes / 1024 ** 3) * PRICES.logGb,
  };
  const total = Object.values(parts).reduce((sum, usd) => sum + usd, 0);
  const breakdown = Object.entries(parts)
    .map(([part, usd]) => ({ part, usd: usd * MILLION, share: total === 0 ? 0 : usd / total }))
    .sort((a, b) => b.usd - a.usd);
  return { perMillionOrdersUsd: total * MILLION, breakdown, dominant: breakdown[0]?.part ?? '' };
}

/** The cost table the bench prints. */
export function formatCost(cost: OrderCost): string {
  const rows = cost.breakdown.map(
    ({ part, usd, share }) =>
      `| ${part.padEnd(26)} | ${usd.toFixed(2).padStart(9)} | ${(share * 100).toFixed(1).padStart(5)} % |`,
  );
  return [
    `What 1,000,000 orders cost on AWS (us-east-1, arm64, list prices): $${cost.perMillionOrdersUsd.toFixed(2)}`,
    `| ${'part'.padEnd(26)} | ${'USD'.padStart(9)} | share   |`,
    `| ${'-'.repeat(26)} | ${'-'.repeat(9)} | ------- |`,
    ...rows,
    `Dominant: ${cost.dominant}`,
  ].join('\n');
}
