// Lambda entry point for the order workflow's RefundPayment state: wires the real adapters once per container.
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { DynamoDbPaymentLedger } from '../adapters/dynamodb/sandbox-payment-ledger';
import { SandboxPaymentGateway } from '../adapters/sandbox/payment-gateway';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeRefundPaymentHandler } from './tasks/refund-payment';

const config = readConfig(['ORDERS_TABLE', 'PAYMENT_LEDGER_TABLE']);
const documents = documentClientFor(dynamoDbClient());
const orders = new DynamoDbOrderStore(documents, config.ORDERS_TABLE);
const ledger = new DynamoDbPaymentLedger(documents, config.PAYMENT_LEDGER_TABLE);

export const handler = makeRefundPaymentHandler({
  orders,
  payments: new SandboxPaymentGateway(orders, ledger),
  clock: () => new Date(),
});
