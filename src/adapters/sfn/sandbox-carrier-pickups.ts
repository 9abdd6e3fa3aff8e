import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { CarrierPickups, PickupRequest } from '../../ports/carrier';
import { callAws } from '../aws/errors';
import { sandboxPickupPlan, type SandboxPickupPlan } from '../sandbox/carrier';

/** The input of the sandbox carrier's workflow (statemachines/carrier.asl.json): ids and event types, no address. */
export interface SandboxPickupRound extends SandboxPickupPlan {
  readonly shipmentId: string;
  readonly orderId: string;
  readonly pickupDelaySeconds: number;
}

/**
 * Requests pickups from the sandbox carrier, which runs as its own Express workflow: it reports the plan's first
 * event at once and the last after a Wait of the pickup delay, each through the sandboxCarrier function and our
 * webhook's code, as a real carrier calls back. This call returns once the round has started. The carrier never comes
 * to the sandbox's never-collected postal code: no round starts.
 */
export class SandboxCarrierPickups implements CarrierPickups {
  constructor(
    private readonly client: SFNClient,
    private readonly carrier: { readonly stateMachineArn: string; readonly pickupDelaySeconds: number },
  ) {}

  async requestPickup({ shipmentId, orderId, address }: PickupRequest): Promise<void> {
    const plan = sandboxPickupPlan(address.postalCode);
    if (!plan) return;
    const round: SandboxPickupRound = {
      shipmentId,
      orderId,
      ...plan,
      pickupDelaySeconds: this.carrier.pickupDelaySeconds,
    };
    await callAws('StartExecution (sandbox carrier)', () =>
      this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.carrier.stateMachineArn,
          input: JSON.stringify(round),
        }),
      ),
    );
  }
}
