import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PortName } from '../../../local';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the e2e global setup did not run`);
  return value;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Where the global setup started the local cloud, and SDK clients pointed at it. */
export const e2e = {
  apiUrl: required('E2E_API_URL'),
  /** Each service's URL, by the name local/ports gives its port. */
  urls: {
    http: required('E2E_API_URL'),
    lambda: required('E2E_LAMBDA_URL'),
    dynamodb: required('E2E_DYNAMODB_URL'),
    stepFunctions: required('E2E_SFN_URL'),
  } satisfies Record<PortName, string>,
  /** A LOCAL_DATA_DIR whose auth/ is this cloud's: `npm run token` signs for it there. */
  localDataDir: required('E2E_LOCAL_DATA_DIR'),
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
