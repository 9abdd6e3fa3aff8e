/**
 * The Lambda API for the sandbox carrier, in this process: requestPickup invokes the sandboxCarrier function
 * asynchronously (InvocationType Event) through AWS_ENDPOINT_URL_LAMBDA, which points here. Each invocation is
 * answered 202 at once, as Lambda does, and queued; `deliver` (given to the kit as the RequestPickup callback, which
 * the engine calls once the task waits for its token) runs the sandbox carrier's application code for the queued
 * invocations against the suite's DynamoDB Local. Its SendTask* calls reach the kit's in-process Step Functions
 * endpoint (AWS_ENDPOINT_URL_SFN). The pickup delay takes no time here: the fake clock is the workflow's.
 */
import { createServer, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSeenSignatures } from '../../src/adapters/dynamodb/seen-signatures';
import { DynamoDbShipmentStore } from '../../src/adapters/dynamodb/shipment-store';
import { InProcessCarrierWebhook } from '../../src/adapters/sandbox/in-process-webhook';
import type { SandboxPickupEvent } from '../../src/adapters/lambda/sandbox-carrier-pickups';
import { sandboxPickupPlan } from '../../src/adapters/sandbox/carrier';
import { SfnTaskCallbacks } from '../../src/adapters/sfn/task-callbacks';
import { runSandboxPickup } from '../../src/application/sandbox-pickup';
import { kitState } from '../../local/testkit';

/** The carrier webhook's shared secret in workflow tests: the sandbox carrier signs with it, carrierEvent verifies. */
export const WORKFLOW_WEBHOOK_SECRET = 'workflow-kit-webhook-secret';
// As the local cloud does, the functions read it from the environment rather than Secrets Manager; set here, at
// import, so it is in place before the kit loads the first handler of the test file.
process.env.CARRIER_WEBHOOK_SECRET = WORKFLOW_WEBHOOK_SECRET;

export interface SandboxCarrierEndpoint {
  /** The events the carrier was asked for, in order. */
  readonly invocations: SandboxPickupEvent[];
  /** Runs the carrier for every queued invocation (a kit `callbacks` answer: the carrier answers by itself). */
  deliver(): Promise<undefined>;
  stop(): Promise<void>;
}

export async function startSandboxCarrierEndpoint(): Promise<SandboxCarrierEndpoint> {
  const invocations: SandboxPickupEvent[] = [];
  const queued: SandboxPickupEvent[] = [];
  const shipmentsTable = kitState().tables.shipments;
  const signaturesTable = kitState().tables['webhook-signatures'];
  if (!shipmentsTable || !signaturesTable)
    throw new Error('serverless.yml defines no shipments or webhook-signatures table');
  const webhookSecret = () => Promise.resolve(WORKFLOW_WEBHOOK_SECRET);
  const carry = async (event: SandboxPickupEvent) => {
    const document = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const sfn = new SFNClient({});
    try {
      await runSandboxPickup(
        {
          webhook: new InProcessCarrierWebhook({
            shipments: new DynamoDbShipmentStore(document, shipmentsTable),
            callbacks: new SfnTaskCallbacks(sfn),
            seenSignatures: new DynamoDbSeenSignatures(document, signaturesTable),
            webhookSecret,
            clock: () => new Date(),
          }),
          webhookSecret,
          clock: () => new Date(),
          sleep: () => Promise.resolve(),
          pickupDelaySeconds: 0,
        },
        event.shipmentId,
        sandboxPickupPlan(event.postalCode),
      );
    } finally {
      document.destroy();
      sfn.destroy();
    }
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SandboxPickupEvent;
      invocations.push(event);
      queued.push(event);
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  process.env.AWS_ENDPOINT_URL_LAMBDA = `http://127.0.0.1:${address.port}`;
  return {
    invocations,
    deliver: async () => {
      for (let event = queued.shift(); event; event = queued.shift()) await carry(event);
      return undefined;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
