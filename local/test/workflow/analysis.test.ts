/**
 * The kit's reading of a history: states, waits, attempts and the ASL elements taken, checked on a small
 * machine with a Choice, a Wait, Retry and Catch (run on the engine with a fake invoker, no DynamoDB).
 */
import { startExecution, VirtualClock, type InvokeTask, type Json } from '../../stepfunctions/engine';
import type { JsonObject } from '../../stepfunctions/definition';
import { analyze } from '../../testkit/analysis';
import { elementsOf, formatCoverage, measure, sum } from '../../testkit/coverage';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:charge';

const DEFINITION: JsonObject = {
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.kind', StringEquals: 'express', Next: 'Charge' },
        { Variable: '$.kind', StringEquals: 'slow', Next: 'Pause' },
      ],
      Default: 'Charge',
    },
    Pause: { Type: 'Wait', Seconds: 60, Next: 'Charge' },
    Charge: {
      Type: 'Task',
      Resource: ARN,
      Retry: [
        { ErrorEquals: ['Busy'], IntervalSeconds: 3, MaxAttempts: 2 },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 },
      ],
      Catch: [
        { ErrorEquals: ['Declined'], Next: 'Failed' },
        { ErrorEquals: ['States.ALL'], Next: 'Failed' },
      ],
      End: true,
    },
    Failed: { Type: 'Fail', Error: 'ChargeFailed' },
  },
};

async function run(input: Json, errors: string[]) {
  const invoke: InvokeTask = (_target, _input, context) => {
    const error = errors[context.attempt - 1];
    if (error === undefined) return { ok: true };
    throw Object.assign(new Error(`${error} on attempt ${context.attempt}`), { name: error });
  };
  const execution = startExecution({
    definition: DEFINITION,
    input,
    name: 'analysis',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:a',
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:a:analysis',
    invokeTask: invoke,
    clock: new VirtualClock(),
  });
  await execution.done;
  return analyze(DEFINITION, execution.events);
}

describe('workflow kit history analysis', () => {
  it('lists every state, transition, retrier and catcher of a definition', () => {
    expect(elementsOf(DEFINITION)).toEqual({
      states: ['Route', 'Pause', 'Charge', 'Failed'],
      transitions: [
        'Route -> Charge (Choices[0])',
        'Route -> Pause (Choices[1])',
        'Route -> Charge (Default)',
        'Pause -> Charge (Next)',
        'Charge -> Failed (Catch[0] Declined)',
        'Charge -> Failed (Catch[1] States.ALL)',
      ],
      retriers: ['Charge.Retry[0]', 'Charge.Retry[1]'],
      catchers: ['Charge.Catch[0]', 'Charge.Catch[1]'],
    });
  });

  it('records a Choice rule, a Wait and a retry by the first matching retrier', async () => {
    const analysis = await run({ kind: 'slow' }, ['Busy']);

    expect(analysis.states).toEqual(['Route', 'Pause', 'Charge']);
    expect(analysis.waits).toEqual([
      { state: 'Pause', seconds: 60 },
      { state: 'Charge', seconds: 3 },
    ]);
    expect(analysis.attempts).toEqual([
      expect.objectContaining({ state: 'Charge', attempt: 1, outcome: 'FAILED', error: 'Busy' }),
      { state: 'Charge', attempt: 2, outcome: 'SUCCEEDED' },
    ]);
    expect(analysis.covered).toEqual({
      states: ['Route', 'Pause', 'Charge'],
      transitions: ['Route -> Pause (Choices[1])', 'Pause -> Charge (Next)'],
      retriers: ['Charge.Retry[0]'],
      catchers: [],
    });
  });

  it('tells the Default from a rule with the same target, and names the catcher that matched', async () => {
    const declined = await run({ kind: 'other' }, ['Declined', 'Declined']);
    const exhausted = await run({ kind: 'express' }, ['Oops', 'Oops']);

    expect(declined.covered.transitions).toEqual([
      'Route -> Charge (Default)',
      'Charge -> Failed (Catch[0] Declined)',
    ]);
    // Declined is first retried by the States.ALL retrier, then caught by the first matching catcher.
    expect(declined.covered).toMatchObject({ retriers: ['Charge.Retry[1]'], catchers: ['Charge.Catch[0]'] });
    expect(exhausted.covered.transitions).toEqual([
      'Route -> Charge (Choices[0])',
      'Charge -> Failed (Catch[1] States.ALL)',
    ]);
    expect(exhausted.covered).toMatchObject({ retriers: ['Charge.Retry[1]'], catchers: ['Charge.Catch[1]'] });
    expect(exhausted.waits).toEqual([{ state: 'Charge', seconds: 1 }]);
  });

  it('measures coverage over several executions and lists what no execution took', async () => {
    const taken = [
      (await run({ kind: 'slow' }, ['Busy'])).covered,
      (await run({ kind: 'other' }, ['Declined', 'Declined'])).covered,
    ];

    const coverage = measure(elementsOf(DEFINITION), taken);

    expect(formatCoverage(coverage)).toBe(
      'states 4/4 (100%), transitions 4/6 (66%), retriers 2/2 (100%), catchers 1/2 (50%)',
    );
    expect(coverage.uncovered).toEqual([
      'transitions: Route -> Charge (Choices[0])',
      'transitions: Charge -> Failed (Catch[1] States.ALL)',
      'catchers: Charge.Catch[1]',
    ]);
    expect(sum({ a: coverage, b: coverage })).toMatchObject({
      transitions: { covered: 8, total: 12 },
      uncovered: expect.arrayContaining(['a: catchers: Charge.Catch[1]', 'b: catchers: Charge.Catch[1]']),
    });
  });
});
