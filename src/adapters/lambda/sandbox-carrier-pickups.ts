import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { CarrierPickups, PickupRequest } from '../../ports/carrier';
import { callAws } from '../aws/errors';

/** The event the sandboxCarrier function receives. */
export interface SandboxPickupEvent {
  readonly shipmentId: string;
  readonly orderId: string;
  readonly postalCode: string;
}

/**
 * Requests pickups from the sandbox carrier, which runs as its own function (sandboxCarrier): invoked
 * asynchronously (InvocationType Event), so this call returns at once and the carrier answers later through the
 * same application code as the real webhook, as a real carrier would.
 */
export class SandboxCarrierPickups implements CarrierPickups {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async requestPickup({ shipmentId, orderId, address }: PickupRequest): Promise<void> {
    const event: SandboxPickupEvent = { shipmentId, orderId, postalCode: address.postalCode };
    await callAws('Lambda Invoke (sandbox carrier)', () =>
      this.client.send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      ),
    );
  }
}
