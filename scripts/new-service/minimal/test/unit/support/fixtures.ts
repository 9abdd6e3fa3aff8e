import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Item, SavedItem } from '../../../src/domain/item';
import type { ItemStore } from '../../../src/ports/item-store';
import type { WorkflowStarter } from '../../../src/ports/workflow-starter';

export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'order-processing-test-fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:order-processing-test-fn',
    memoryLimitInMB: '256',
    awsRequestId: 'req-1',
    logGroupName: '/aws/lambda/order-processing-test-fn',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** An HTTP API event as API Gateway passes it on after its JWT authorizer accepted the token (or without one). */
export function httpEvent(body: unknown, customerId: string | null = 'cus_1'): APIGatewayProxyEventV2 {
  return {
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    ...(customerId === null
      ? {}
      : { requestContext: { authorizer: { jwt: { claims: { sub: customerId }, scopes: null } } } }),
  } as unknown as APIGatewayProxyEventV2;
}

export class InMemoryItemStore implements ItemStore {
  readonly items = new Map<string, SavedItem>();

  save(item: SavedItem): Promise<void> {
    this.items.set(item.itemId, item);
    return Promise.resolve();
  }
}

export class RecordingWorkflowStarter implements WorkflowStarter {
  readonly started: Item[] = [];

  start(item: Item): Promise<{ readonly executionArn: string }> {
    this.started.push(item);
    return Promise.resolve({
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:process:${item.itemId}`,
    });
  }
}
