import type { Context } from 'aws-lambda';
import type { CatalogItem } from '../../../src/domain/catalog';
import { money } from '../../../src/domain/money';
import { pendingOrder, type Order } from '../../../src/domain/order';

export const CATALOG: CatalogItem[] = [
  { sku: 'SKU-BOOK-001', name: 'Book', unitPrice: money(2999, 'EUR'), stock: 1000 },
  { sku: 'SKU-MUG-002', name: 'Mug', unitPrice: money(1250, 'EUR'), stock: 250 },
  { sku: 'SKU-LAMP-003', name: 'Lamp', unitPrice: money(4900, 'EUR'), stock: 2 },
  { sku: 'SKU-POSTER-004', name: 'Poster', unitPrice: money(900, 'EUR'), stock: 0 },
];

export const ORDER_ID = 'ord_01JDQ7Z8X9Y0ABCDEFGHJKMNPQ';

export const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '1 Analytical St',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
};

export function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    ...pendingOrder(
      {
        orderId: ORDER_ID,
        customerId: 'cust-1',
        items: [{ sku: 'SKU-BOOK-001', quantity: 2 }],
        shippingAddress: ADDRESS,
      },
      '2025-01-01T00:00:00.000Z',
    ),
    ...overrides,
  };
}

/** A Lambda context good enough for middy and Powertools. */
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

/** The requestContext API Gateway's JWT authorizer builds for a verified token of this customer. */
export function authorizedAs(customerId: string) {
  return {
    requestContext: { authorizer: { jwt: { claims: { sub: customerId }, scopes: null } } },
  } as const;
}
