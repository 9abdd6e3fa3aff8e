import {
  applyResultPath,
  isDefinitePath,
  PathNotFoundError,
  queryPath,
  UndefinedVariableError,
} from '../../../stepfunctions/paths';

const scope = { context: { Execution: { Name: 'run-1' } }, variable: (name: string) => ({ x: 42 })[name] };

describe('queryPath (AWS JSONPath)', () => {
  it.each(['$.items[*]', '$.items[1:]', '$.items[:1].value', '$.a.items[1:5]', '$[*]', '$..value'])(
    'returns [] for the indefinite path %s when nothing matches',
    (path) => {
      expect(queryPath(path, {}, scope)).toEqual([]);
    },
  );

  it('returns every match of an indefinite path as a list, even a single one', () => {
    expect(queryPath('$.items[*].v', { items: [{ v: 1 }] }, scope)).toEqual([1]);
  });

  it('returns the value of a definite path, and fails when it points at nothing', () => {
    expect(queryPath('$.a[1].b', { a: [{}, { b: 'x' }] }, scope)).toBe('x');
    expect(() => queryPath('$.a.missing', { a: {} }, scope)).toThrow(PathNotFoundError);
  });

  it('reads falsy values and the whole input', () => {
    expect(queryPath('$.flag', { flag: false }, scope)).toBe(false);
    expect(queryPath('$', 0, scope)).toBe(0);
  });

  it('reads the context object with $$ and variables with $name', () => {
    expect(queryPath('$$.Execution.Name', {}, scope)).toBe('run-1');
    expect(queryPath('$x', {}, scope)).toBe(42);
    expect(() => queryPath('$nope.a', {}, scope)).toThrow(UndefinedVariableError);
  });

  it('tells definite from indefinite paths, ignoring quoted characters', () => {
    expect(isDefinitePath("$['a*b'].c")).toBe(true);
    expect(isDefinitePath('$.a[0,1]')).toBe(false);
    expect(isDefinitePath('$.a[?(@.b > 1)]')).toBe(false);
  });
});

describe('applyResultPath', () => {
  it('puts the result at the path, creating objects on the way, without touching the input', () => {
    const input = { keep: 1 };

    expect(applyResultPath('$.a.b', input, 'r')).toEqual({ keep: 1, a: { b: 'r' } });
    expect(input).toEqual({ keep: 1 });
  });

  it('replaces the input with $ and discards the result with null', () => {
    expect(applyResultPath('$', { a: 1 }, 'r')).toBe('r');
    expect(applyResultPath(null, { a: 1 }, 'r')).toEqual({ a: 1 });
  });

  it('fails when the input cannot hold the result', () => {
    expect(() => applyResultPath('$.a', 'text', 1)).toThrow(/Unable to apply ResultPath/);
  });
});
