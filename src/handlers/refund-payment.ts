// Lambda entry point for the order workflow's RefundPayment state: wires the real adapters once per container.
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { SandboxPaymentGateway } from '../adapters/sandbox/payment-gateway';
import { documentClientFor, tracedDynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeRefundPaymentHandler } from './tasks/refund-payment';

const config = readConfig(['ORDERS_TABLE']);
const orders = new DynamoDbOrderStore(documentClientFor(tracedDynamoDbClient()), config.ORDERS_TABLE);

export const handler = makeRefundPaymentHandler({
  orders,
  payments: new SandboxPaymentGateway(orders),
  clock: () => new Date(),
});
