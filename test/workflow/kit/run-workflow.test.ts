import { runWorkflow } from './run-workflow';

describe('runWorkflow', () => {
  it('rejects a fault planned for a state the machine does not have', async () => {
    await expect(
      runWorkflow('order', {}, { faults: { ChargeCard: { 1: 'ServiceUnavailable' } } }),
    ).rejects.toThrow('faults: order has no Task state "ChargeCard"');
  });

  it('rejects a machine that is not in statemachines/', async () => {
    await expect(runWorkflow('nope', {})).rejects.toThrow(/nope\.asl\.json/);
  });
});
