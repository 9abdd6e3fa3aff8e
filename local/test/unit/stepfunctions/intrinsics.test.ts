import { evaluateIntrinsic, IntrinsicError } from '../../../stepfunctions/intrinsics';
import type { Json } from '../../../stepfunctions/definition';

const run = (text: string, input: Json = {}) =>
  evaluateIntrinsic(text, input, { context: { StateMachine: { Name: 'm', Id: 'arn' } } });

describe('intrinsic functions', () => {
  it.each([
    [1.49, 1.5, 3],
    [-0.5, 0.5, 1],
    [-1.49, -1.5, -2],
    [2, 3, 5],
  ])('States.MathAdd(%p, %p) rounds each argument half up first: %p', (a, b, sum) => {
    expect(run('States.MathAdd($.a, $.b)', { a, b })).toBe(sum);
  });

  it('States.StringSplit splits on every delimiter character and drops empty tokens', () => {
    expect(run("States.StringSplit($.s, '.+,')", { s: 'a.b+c,,d,' })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('States.Format prints non-string arguments as Java does', () => {
    const input = { o: { a: 1, b: [1, 'x'] }, n: null };

    expect(run("States.Format('{} and {}', $.o, $.n)", input)).toBe('{a=1, b=[1, x]} and null');
    expect(run("States.Format('{}', $$.StateMachine)")).toBe('{Name=m, Id=arn}');
  });

  it('States.Format keeps escaped braces and quotes literal', () => {
    expect(run("States.Format('\\{\\} it\\'s {}', 'x')")).toBe("{} it's x");
  });

  it('States.StringToJson of an empty string is null', () => {
    expect(run('States.StringToJson($.s)', { s: '' })).toBeNull();
    expect(run('States.StringToJson($.s)', { s: '{"a":[1]}' })).toEqual({ a: [1] });
  });

  it('evaluates nested calls and array functions', () => {
    expect(run('States.ArrayLength(States.ArrayPartition(States.ArrayRange(1, 9, 2), 2))')).toBe(3);
    expect(run('States.ArrayUnique(States.Array(1, 1, $.x))', { x: { a: 1 } })).toEqual([1, { a: 1 }]);
    expect(run('States.JsonMerge($.a, $.b, false)', { a: { x: 1, y: 1 }, b: { y: 2 } })).toEqual({
      x: 1,
      y: 2,
    });
  });

  it('States.Hash uses AWS algorithm names', () => {
    expect(run("States.Hash('abc', 'SHA-1')")).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  it('States.MathRandom stays in [start, end)', () => {
    const value = run('States.MathRandom(1, 3)');

    expect([1, 2]).toContain(value);
  });

  it('fails with States.Runtime on a wrong argument type', () => {
    expect(() => run('States.ArrayLength($.s)', { s: 'x' })).toThrow(IntrinsicError);
  });
});
