/**
 * What the order workflow's test files share: the paths they assert on, the sandbox carrier answering the child's
 * pickup, and reads and writes of the stored data behind the workflow's back.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  kitState,
  runWorkflow as runKitWorkflow,
  type Json,
  type RunOptions,
  type WorkflowResult,
} from '../../local/testkit';
import { sandboxCarrierAnswers } from './sandbox-carrier';

export const HAPPY_PATH = ['ValidateOrder', 'ProcessPayment', 'ShipOrder', 'RecordShipment', 'OrderShipped'];
export const COMPENSATED = ['RefundPayment', 'ReleaseStock', 'NotifyOrderError', 'OrderFailed'];
export const CHILD_FAILED = [
  'ReadFulfilmentError',
  'HasFulfilmentError',
  'UseFulfilmentError',
  ...COMPENSATED,
];

/** A document client on the suite's DynamoDB Local, for the test file that imports this module. */
export const document = DynamoDBDocumentClient.from(new DynamoDBClient({}));

// Registered in every test file that imports this module (jest gives each file its own copy of it).
afterAll(() => {
  document.destroy();
});

/** Runs the order workflow; the sandbox carrier answers the child's pickup unless the test answers it. */
export function runWorkflow(
  machine: 'order',
  input: Json,
  options: RunOptions = {},
): Promise<WorkflowResult> {
  // A test-only child (options.definitions) has no RequestPickup to answer.
  if (options.definitions) return runKitWorkflow(machine, input, options);
  return runKitWorkflow(machine, input, {
    ...options,
    callbacks: { RequestPickup: sandboxCarrierAnswers, ...options.callbacks },
  });
}

export async function stock(sku: string): Promise<number> {
  const result = await document.send(
    new GetCommand({ TableName: kitState().tables.catalog, Key: { sku }, ConsistentRead: true }),
  );
  return Number(result.Item?.stock);
}

/** The Lambda error JSON Step Functions carries as the Cause of a function error. */
export function lambdaCause(result: WorkflowResult): {
  errorType: string;
  errorMessage: string;
  trace: string[];
} {
  return JSON.parse(result.cause ?? 'null') as { errorType: string; errorMessage: string; trace: string[] };
}

export function statusHistory(order: { history: readonly { status: string }[] }): string[] {
  return order.history.map((entry) => entry.status);
}

/** Moves an order to `status` behind the workflow's back (a write that went through before its function crashed). */
export async function markStatus(orderId: string, status: string): Promise<void> {
  await document.send(
    new UpdateCommand({
      TableName: kitState().tables.orders,
      Key: { orderId },
      UpdateExpression: 'SET #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    }),
  );
}
