import { startExecution, VirtualClock } from '../../../stepfunctions/engine';
import type { Json, JsonObject } from '../../../stepfunctions/definition';

async function run(definition: JsonObject, input: Json = {}) {
  const handle = startExecution({
    definition,
    input,
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:m:e',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
    name: 'e',
    clock: new VirtualClock(),
  });
  await handle.done;
  return handle;
}

describe('engine history for JSONata and variables', () => {
  it('records assignedVariables (as JSON text) on the StateExited event of a state with Assign', async () => {
    const handle = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: { A: { Type: 'Pass', Assign: { n: '{% 1 + 1 %}', o: { k: 'v' } }, End: true } },
    });

    const exited = handle.events.find((e) => e.type === 'PassStateExited');
    expect(exited?.stateExitedEventDetails).toMatchObject({
      assignedVariables: { n: '2', o: '{"k":"v"}' },
      assignedVariablesDetails: { truncated: false },
    });
    expect(handle.status).toBe('SUCCEEDED');
  });

  it('records EvaluationFailed and fails with the state named and its entered event id', async () => {
    const handle = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: { A: { Type: 'Pass', Output: '{% $nothing %}', End: true } },
    });

    expect(handle.events.map((e) => e.type)).toContain('EvaluationFailed');
    expect(handle.error).toBe('States.QueryEvaluationError');
    expect(handle.cause).toBe(
      "An error occurred while executing the state 'A' (entered at the event id #2). The JSONata expression '$nothing' specified for the field 'Output' returned nothing (undefined).",
    );
  });

  it('counts the items a JSONata Map resolved in MapStateStarted', async () => {
    const handle = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            Items: '{% $states.input.xs %}',
            ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      { xs: [1, 2, 3] },
    );

    const started = handle.events.find((e) => e.type === 'MapStateStarted');
    expect(started?.mapStateStartedEventDetails).toEqual({ length: 3 });
    expect(JSON.parse(handle.output ?? 'null')).toEqual([1, 2, 3]);
  });

  it('waits a JSONata Seconds expression on the execution clock', async () => {
    const handle = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: '{% 2 * 5 %}', End: true } },
    });

    const stop = handle.stopDate?.getTime() ?? 0;
    expect(stop - handle.startDate.getTime()).toBe(10_000);
  });
});
