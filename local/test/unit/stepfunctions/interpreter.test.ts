import type { JsonObject } from '../../../stepfunctions/definition';
import { execute } from './run-machine';

const jsonata = (states: JsonObject, startAt = Object.keys(states)[0] ?? ''): JsonObject => ({
  QueryLanguage: 'JSONata',
  StartAt: startAt,
  States: states,
});

describe('JSONata states', () => {
  it('Output replaces the state output; Assign reads variables as they were when the state was entered', async () => {
    const outcome = await execute(
      jsonata({
        First: { Type: 'Pass', Assign: { n: 1 }, Next: 'Second' },
        Second: {
          Type: 'Pass',
          Assign: { n: '{% $n + 1 %}', seen: '{% $n %}' },
          Output: { n: '{% $n %}', input: '{% $states.input.a %}' },
          Next: 'Third',
        },
        Third: { Type: 'Pass', Output: { n: '{% $n %}', seen: '{% $seen %}' }, End: true },
      }),
      { a: 'x' },
    );

    expect(outcome.output).toEqual({ n: 2, seen: 1 });
    const exits = outcome.events.filter((e) => e.type === 'StateExited').map((e) => e.state);
    expect(exits[1]).toMatchObject({ output: { n: 1, input: 'x' }, assignedVariables: { n: 2, seen: 1 } });
  });

  it('Task Arguments feed the resource and Output reads $states.result', async () => {
    const outcome = await execute(
      jsonata({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f',
          Arguments: { id: '{% $states.input.id %}' },
          Output: '{% $states.result.task %}',
          End: true,
        },
      }),
      { id: 7 },
    );

    expect(outcome.output).toEqual({ id: 7 });
  });

  it('Choice takes the first true Condition, with that rule’s Output and Assign; Default uses the state’s', async () => {
    const machine = jsonata({
      C: {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $states.input.n > 1 %}', Next: 'Done', Output: 'big', Assign: { kind: 'big' } },
        ],
        Default: 'Done',
        Output: 'small',
        Assign: { kind: 'small' },
      },
      Done: { Type: 'Pass', Output: { out: '{% $states.input %}', kind: '{% $kind %}' }, End: true },
    });

    await expect(execute(machine, { n: 2 })).resolves.toMatchObject({ output: { out: 'big', kind: 'big' } });
    await expect(execute(machine, { n: 0 })).resolves.toMatchObject({
      output: { out: 'small', kind: 'small' },
    });
  });

  it('fails with States.QueryEvaluationError when a Condition is not a boolean', async () => {
    const outcome = await execute(
      jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% 1 %}', Next: 'C' }] } }),
    );

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
  });

  it('Map iterates Items, shaping each with ItemSelector and $states.context.Map.Item', async () => {
    const outcome = await execute(
      jsonata({
        M: {
          Type: 'Map',
          Items: '{% $states.input.list %}',
          ItemSelector: {
            i: '{% $states.context.Map.Item.Index %}',
            v: '{% $states.context.Map.Item.Value %}',
          },
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
      { list: ['a', 'b'] },
    );

    expect(outcome.output).toEqual([
      { i: 0, v: 'a' },
      { i: 1, v: 'b' },
    ]);
  });

  it('fails a Map whose Items is not an array, naming the expression and the value', async () => {
    const outcome = await execute(
      jsonata({
        M: {
          Type: 'Map',
          Items: '{% $states.input.list %}',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
      { list: 1 },
    );

    expect(outcome).toMatchObject({
      error: 'States.QueryEvaluationError',
      cause:
        "[M] The JSONata expression '$states.input.list' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1",
    });
  });

  it('catches a QueryEvaluationError, with the catcher’s Output and Assign reading $states.errorOutput', async () => {
    const outcome = await execute(
      jsonata({
        Bad: {
          Type: 'Pass',
          Output: '{% $missing %}',
          Catch: [
            {
              ErrorEquals: ['States.ALL'],
              Assign: { caught: '{% $states.errorOutput.Error %}' },
              Output: { input: '{% $states.input %}' },
              Next: 'After',
            },
          ],
          End: true,
        },
        After: { Type: 'Pass', Output: { caught: '{% $caught %}', was: '{% $states.input %}' }, End: true },
      }),
      { a: 1 },
    );

    expect(outcome.output).toEqual({ caught: 'States.QueryEvaluationError', was: { input: { a: 1 } } });
  });

  it('Fail takes Error and Cause as expressions', async () => {
    const outcome = await execute(
      jsonata({
        F: { Type: 'Fail', Error: "{% 'E' & $states.input.n %}", Cause: '{% $string($states.input) %}' },
      }),
      { n: 1 },
    );

    expect(outcome).toMatchObject({ error: 'E1', cause: '{"n":1}' });
  });

  it('Wait rejects a Timestamp that is not ISO-8601 with an offset', async () => {
    const outcome = await execute(
      jsonata({ WaitUntil: { Type: 'Wait', Timestamp: '{% $states.input.t %}', End: true } }),
      {
        t: '2016-12-05 21:29:29Z',
      },
    );

    expect(outcome).toMatchObject({
      error: 'States.QueryEvaluationError',
      cause:
        '[WaitUntil] The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05 21:29:29Z',
    });
  });

  it('a state-level QueryLanguage overrides the machine’s', async () => {
    const outcome = await execute(
      {
        StartAt: 'Path',
        States: {
          Path: { Type: 'Pass', Parameters: { 'v.$': '$.a' }, Next: 'Ata' },
          Ata: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.v * 2 %}', End: true },
        },
      },
      { a: 2 },
    );

    expect(outcome.output).toBe(4);
  });
});

describe('variable scopes', () => {
  it('Map iterations and Parallel branches read outer variables; what they assign stays inside', async () => {
    const outcome = await execute(
      jsonata({
        Init: { Type: 'Pass', Assign: { x: 1 }, Next: 'P' },
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'B',
              States: {
                B: { Type: 'Pass', Assign: { x: 2, inner: true }, Next: 'B2' },
                B2: { Type: 'Pass', Output: '{% $x %}', End: true },
              },
            },
            { StartAt: 'C', States: { C: { Type: 'Pass', Output: '{% $x %}', End: true } } },
          ],
          Next: 'After',
        },
        After: {
          Type: 'Pass',
          Output: { branches: '{% $states.input %}', x: '{% $x %}', inner: '{% $exists($inner) %}' },
          End: true,
        },
      }),
    );

    expect(outcome.output).toEqual({ branches: [2, 1], x: 1, inner: false });
  });
});

describe('JSONPath states', () => {
  it('Assign takes paths, intrinsics and $$, and later states read $variables', async () => {
    const outcome = await execute(
      {
        StartAt: 'A',
        States: {
          A: {
            Type: 'Pass',
            Assign: {
              v: 'lit',
              'p.$': '$.a',
              'f.$': "States.Format('<{}>', $.a)",
              'c.$': '$$.Execution.Name',
            },
            Next: 'B',
          },
          B: { Type: 'Pass', Parameters: { 'all.$': 'States.Array($v, $p, $f, $c)' }, End: true },
        },
      },
      { a: 'x' },
    );

    expect(outcome.output).toEqual({ all: ['lit', 'x', '<x>', 'exec-1'] });
  });

  it('Choice applies the matched rule’s Assign, or the state’s when Default is taken', async () => {
    const machine = {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [{ Variable: '$.n', NumericEquals: 1, Assign: { s: 'one' }, Next: 'D' }],
          Assign: { s: 'other' },
          Default: 'D',
        },
        D: { Type: 'Pass', Parameters: { 's.$': '$s' }, End: true },
      },
    };

    await expect(execute(machine, { n: 1 })).resolves.toMatchObject({ output: { s: 'one' } });
    await expect(execute(machine, { n: '1' })).resolves.toMatchObject({ output: { s: 'other' } });
  });

  it('Choice rules read variables; an unassigned one is not present', async () => {
    const machine = (variable: string) => ({
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { known: 5 }, Next: 'C' },
        C: {
          Type: 'Choice',
          Choices: [{ Variable: variable, IsPresent: true, Next: 'Yes' }],
          Default: 'No',
        },
        Yes: { Type: 'Pass', Result: 'yes', End: true },
        No: { Type: 'Pass', Result: 'no', End: true },
      },
    });

    await expect(execute(machine('$known'))).resolves.toMatchObject({ output: 'yes' });
    await expect(execute(machine('$unknown'))).resolves.toMatchObject({ output: 'no' });
  });

  it('$$.State names the state being evaluated', async () => {
    const outcome = await execute({
      StartAt: 'One',
      States: {
        One: { Type: 'Pass', Parameters: { 'n.$': '$$.State.Name' }, ResultPath: '$.one', Next: 'Two' },
        Two: { Type: 'Pass', Parameters: { 'n.$': '$$.State.Name', 'one.$': '$.one.n' }, End: true },
      },
    });

    expect(outcome.output).toEqual({ n: 'Two', one: 'One' });
  });

  it('a wildcard on missing data gives [] while a missing definite path fails with States.Runtime', async () => {
    const machine = (path: string) => ({
      StartAt: 'S',
      States: { S: { Type: 'Pass', Parameters: { 'v.$': path }, End: true } },
    });

    await expect(execute(machine('$.items[*].id'))).resolves.toMatchObject({ output: { v: [] } });
    await expect(execute(machine('$.items[0].id'))).resolves.toMatchObject({
      error: 'States.Runtime',
      cause:
        "[S] The JSONPath '$.items[0].id' specified for the field 'v.$' could not be found in the input '{}'",
    });
  });

  it('Fail evaluates an intrinsic in ErrorPath and CausePath', async () => {
    const outcome = await execute(
      {
        StartAt: 'F',
        States: { F: { Type: 'Fail', ErrorPath: "States.Format('E{}', $.n)", CausePath: '$.c' } },
      },
      { n: 1, c: 'why' },
    );

    expect(outcome).toMatchObject({ error: 'E1', cause: 'why' });
  });
});
