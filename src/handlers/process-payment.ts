// Lambda entry point for the ProcessPayment state: wires the real adapters once per container.
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { DynamoDbPaymentLedger } from '../adapters/dynamodb/sandbox-payment-ledger';
import { SandboxPaymentGateway } from '../adapters/sandbox/payment-gateway';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeProcessPaymentHandler } from './tasks/process-payment';

const config = readConfig(['ORDERS_TABLE', 'PAYMENT_LEDGER_TABLE']);
const documents = documentClientFor(dynamoDbClient());
const orders = new DynamoDbOrderStore(documents, config.ORDERS_TABLE);
const ledger = new DynamoDbPaymentLedger(documents, config.PAYMENT_LEDGER_TABLE);

// The sandbox counts attempts on the order itself (paymentAttempts), so it shares the order store.
export const handler = makeProcessPaymentHandler({
  orders,
  payments: new SandboxPaymentGateway(orders, ledger),
});
