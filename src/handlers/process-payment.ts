// Lambda entry point for the ProcessPayment state: wires the real adapters once per container.
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { SandboxPaymentGateway } from '../adapters/sandbox/payment-gateway';
import { documentClientFor, tracedDynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeProcessPaymentHandler } from './tasks/process-payment';

const config = readConfig(['ORDERS_TABLE']);
const orders = new DynamoDbOrderStore(documentClientFor(tracedDynamoDbClient()), config.ORDERS_TABLE);

// The sandbox counts attempts on the order itself (paymentAttempts), so it shares the order store.
export const handler = makeProcessPaymentHandler({ orders, payments: new SandboxPaymentGateway(orders) });
