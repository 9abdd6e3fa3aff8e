import type { JsonObject } from '../../stepfunctions/definition';
import { runWorkflow } from '../../testkit';

/** A test-only machine: one Task whose function the test stubs (no serverless.yml function is needed). */
const definitions: Record<string, JsonObject> = {
  single: {
    StartAt: 'Work',
    States: {
      Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:work', End: true },
    },
  },
};

describe('runWorkflow', () => {
  it('rejects a fault planned for a state the machine does not have', async () => {
    await expect(
      runWorkflow('single', {}, { definitions, faults: { ChargeCard: { 1: 'ServiceUnavailable' } } }),
    ).rejects.toThrow('faults: single has no Task state "ChargeCard"');
  });

  it('rejects a machine that is not in statemachines/', async () => {
    await expect(runWorkflow('nope', {})).rejects.toThrow(/nope\.asl\.json/);
  });

  it("lets a stub call the state's own resource: here a function serverless.yml does not have", async () => {
    const result = await runWorkflow(
      'single',
      {},
      {
        definitions,
        stubs: { Work: (input, _task, real) => real(input) },
      },
    );

    expect(result.status).toBe('FAILED');
    expect(result.cause).toContain(
      'Work: arn:aws:lambda:us-east-1:000000000000:function:work is not a function',
    );
  });
});
