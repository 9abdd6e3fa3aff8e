import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectValidAsl } from './asl-validity';

interface State {
  Type: string;
  Resource?: string;
  Arguments?: Record<string, unknown>;
  Retry?: { ErrorEquals: string[] }[];
  [field: string]: unknown;
}

const text = readFileSync(join(__dirname, '../../statemachines/carrier.asl.json'), 'utf8');
const carrier = JSON.parse(text) as { QueryLanguage: string; StartAt: string; States: Record<string, State> };

describe('statemachines/carrier.asl.json (the sandbox carrier, an Express workflow)', () => {
  it('passes asl-validator as written and with real ARNs', () => {
    expectValidAsl('carrier', carrier);
  });

  it('reports at once, waits the pickup delay as a Wait state, then reports the outcome', () => {
    expect(carrier.QueryLanguage).toBe('JSONata');
    const path: string[] = [];
    for (let name: unknown = carrier.StartAt; typeof name === 'string'; name = carrier.States[name]?.Next)
      path.push(`${name} (${carrier.States[name]?.Type})`);
    expect(path).toEqual(['ReportScheduled (Task)', 'WaitForPickup (Wait)', 'ReportPickup (Task)']);
    expect(carrier.States.WaitForPickup?.Seconds).toBe('{% $pickupDelaySeconds %}');
    for (const name of ['ReportScheduled', 'ReportPickup']) {
      expect(carrier.States[name]?.Resource).toBe('${SandboxCarrierFunctionArn}');
      expect(carrier.States[name]?.Retry?.[0]?.ErrorEquals).toContain('Lambda.TooManyRequestsException');
    }
  });

  it('hands the carrier ids and event types only, never an address', () => {
    for (const name of ['ReportScheduled', 'ReportPickup']) {
      expect(Object.keys(carrier.States[name]?.Arguments ?? {}).sort()).toEqual([
        'orderId',
        'shipmentId',
        'type',
      ]);
    }
    const fields = JSON.stringify(carrier.States, (key, value: unknown) =>
      key === 'Comment' ? undefined : value,
    );
    expect(fields).not.toMatch(/address|postalCode|customer/i);
  });
});
