/**
 * The functions Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid, $parse), and the JSONata
 * functions it does not offer.
 */
import { randomUUID } from 'node:crypto';
import type { Expression } from 'jsonata';
import { hashText, partition, range } from '../intrinsics';
import type { Json } from '../definition';

/** A JSONata function call AWS rejects; the message becomes the evaluation error's detail. */
class FunctionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Seeded generator for `$random(seed)`: the same seed gives the same number, as on AWS. */
function seededRandom(seed: number): number {
  let t = (Math.trunc(seed) + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Registers AWS's functions on a compiled expression. */
export function registerAwsFunctions(expression: Expression): void {
  expression.registerFunction(
    'partition',
    (array: Json[], size: number) => {
      if (!Number.isInteger(size) || size <= 0)
        throw new FunctionError('States.QueryEvaluationError', 'The chunk size must be a positive integer');
      return partition(Array.isArray(array) ? array : [array], size);
    },
    '<an:a>',
  );
  expression.registerFunction(
    'range',
    (start: number, end: number, step: number) => {
      const values = range(start, end, step);
      if (values.length > 1000)
        throw new FunctionError('States.QueryEvaluationError', 'The range has more than 1000 items');
      // AWS returns a JSONata sequence: a one-number range comes out as that number.
      Object.defineProperty(values, 'sequence', { value: true });
      return values;
    },
    '<nnn:a>',
  );
  expression.registerFunction(
    'hash',
    (data: Json, algorithm: string) => {
      const hash = hashText(typeof data === 'string' ? data : JSON.stringify(data), algorithm);
      if (hash === undefined)
        throw new FunctionError('States.QueryEvaluationError', `Unsupported algorithm '${algorithm}'`);
      return hash;
    },
    '<x-s:s>',
  );
  expression.registerFunction(
    'random',
    (seed?: number) => (seed === undefined ? Math.random() : seededRandom(seed)),
    '<n?:n>',
  );
  expression.registerFunction('uuid', () => randomUUID(), '<:s>');
  expression.registerFunction(
    'parse',
    (text: string) => {
      try {
        return JSON.parse(text) as Json;
      } catch {
        throw new FunctionError('States.QueryEvaluationError', `The string '${text}' is not valid JSON`);
      }
    },
    '<s-:x>',
  );
  expression.registerFunction(
    'eval',
    () => {
      throw new FunctionError('States.QueryEvaluationError', 'The function $eval is not supported');
    },
    '<x*:x>',
  );
}
