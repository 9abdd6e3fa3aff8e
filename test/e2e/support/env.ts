import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the e2e global setup did not run`);
  return value;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Where the global setup started the local cloud, and SDK clients pointed at it. */
export const e2e = {
  apiUrl: required('E2E_API_URL'),
  stateMachineArn: required('E2E_STATE_MACHINE_ARN'),
  fulfilmentStateMachineArn: required('E2E_FULFILMENT_STATE_MACHINE_ARN'),
  ordersTable: required('E2E_ORDERS_TABLE'),
  shipmentsTable: required('E2E_SHIPMENTS_TABLE'),
  paymentLedgerTable: required('E2E_PAYMENT_LEDGER_TABLE'),
  region: required('E2E_REGION'),
  sfn: new SFNClient({ endpoint: required('E2E_SFN_URL'), region: required('E2E_REGION'), credentials }),
  dynamodb: DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: required('E2E_DYNAMODB_URL'),
      region: required('E2E_REGION'),
      credentials,
    }),
  ),
};
