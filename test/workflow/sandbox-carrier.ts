/**
 * The sandbox carrier in workflow tests: requestPickup starts its workflow (statemachines/carrier.asl.json) through
 * AWS_ENDPOINT_URL_SFN, which points at the kit, so the kit runs it on the test's fake clock with the real
 * sandboxCarrier handler; its reports reach the fulfilment's RequestPickup through the kit's SendTask* endpoint.
 */

import { executionsStartedByFunctions } from '../../local/testkit';

/** The carrier webhook's shared secret in workflow tests: the sandbox carrier signs with it, carrierEvent verifies. */
export const WORKFLOW_WEBHOOK_SECRET = 'workflow-kit-webhook-secret';
// As the local cloud does, the functions read it from the environment rather than Secrets Manager; set here, at
// import, so it is in place before the kit loads the first handler of the test file.
process.env.CARRIER_WEBHOOK_SECRET = WORKFLOW_WEBHOOK_SECRET;

/**
 * RequestPickup's callback plan when the sandbox carrier answers by itself: the test sends nothing and waits for the
 * carrier's round to end; only if the carrier did not answer (it never comes: 99998) does fake time run on to the
 * task's heartbeat or timeout.
 */
export async function sandboxCarrierAnswers(): Promise<undefined> {
  await executionsStartedByFunctions();
  return undefined;
}
