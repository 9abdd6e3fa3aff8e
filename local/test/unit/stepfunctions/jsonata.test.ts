import {
  evaluateTemplate,
  QueryEvaluationError,
  type JsonataBindings,
} from '../../../stepfunctions/jsonata/evaluate';
import type { Json } from '../../../stepfunctions/definition';

const bindings = (input: Json, variables: Record<string, Json> = {}): JsonataBindings => ({
  states: { input, context: { Execution: { Name: 'e' } } },
  variables,
});

describe('JSONata templates', () => {
  it('evaluates {% %} strings at any depth and keeps other values as written', async () => {
    const template = { a: '{% $states.input.x + 1 %}', b: [{ c: '{% $v %}' }, 'plain', 3], d: '$.x' };

    await expect(evaluateTemplate(template, 'Output', bindings({ x: 1 }, { v: 'var' }))).resolves.toEqual({
      a: 2,
      b: [{ c: 'var' }, 'plain', 3],
      d: '$.x',
    });
  });

  it('fails with the field path when an expression returns nothing', async () => {
    const evaluation = evaluateTemplate({ result: '{% $missing %}' }, 'Output', bindings({}));

    await expect(evaluation).rejects.toThrow(QueryEvaluationError);
    await expect(evaluation).rejects.toThrow(
      "The JSONata expression '$missing' specified for the field 'Output/result' returned nothing (undefined).",
    );
  });

  it('refuses a function as a value', async () => {
    await expect(evaluateTemplate('{% function($x){$x} %}', 'Items', bindings({}))).rejects.toThrow(
      'returned an unsupported result type',
    );
  });

  it('reports an expression that throws', async () => {
    await expect(evaluateTemplate('{% $number("x") + "a" %}', 'Output', bindings({}))).rejects.toThrow(
      /specified for the field 'Output' threw an error during evaluation/,
    );
  });
});

describe("AWS's JSONata functions", () => {
  const run = (expression: string, input: Json = {}) =>
    evaluateTemplate(`{% ${expression} %}`, 'Output', bindings(input));

  it('$partition chunks an array', async () => {
    await expect(run('$partition([1,2,3,4,5], 2)')).resolves.toEqual([[1, 2], [3, 4], [5]]);
    await expect(run('$partition([0], 2)')).resolves.toEqual([[0]]);
  });

  it('$range is inclusive and, as a sequence, gives a single number for one step', async () => {
    await expect(run('$range(0, 9, 3)')).resolves.toEqual([0, 3, 6, 9]);
    await expect(run('$range(1, 9, 9)')).resolves.toBe(1);
  });

  it('$hash, $parse, $uuid and a seeded $random', async () => {
    await expect(run("$hash('abc', 'MD5')")).resolves.toBe('900150983cd24fb0d6963f7d28e17f72');
    await expect(run('$parse($states.input.s)', { s: '{"a":[1]}' })).resolves.toEqual({ a: [1] });
    await expect(run('$uuid()')).resolves.toMatch(/^[0-9a-f-]{36}$/);
    const [a, b] = await Promise.all([run('$random(7)'), run('$random(7)')]);
    expect(a).toBe(b);
  });
});
