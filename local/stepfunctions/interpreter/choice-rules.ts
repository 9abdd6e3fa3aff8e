/**
 * JSONPath Choice rules (`Variable` + comparison operator, And/Or/Not), by the States Language: a comparison whose
 * value has the wrong type is false, not an error; a `Variable` that points at nothing is a States.Runtime error
 * except for IsPresent.
 */
import { isObject, type Json, type JsonObject } from '../definition';
import { queryPathOrUndefined, UndefinedVariableError, type PathScope } from '../paths';

/** A Choice rule read a path that points at nothing. */
export class InvalidChoicePathError extends Error {
  constructor(readonly path: string) {
    super(`Invalid path '${path}': The choice state's condition path references an invalid value.`);
  }
}

const RFC3339 =
  /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function isTimestamp(value: Json | undefined): value is string {
  return typeof value === 'string' && RFC3339.test(value);
}

type Compare = (a: Json, b: Json) => boolean;

const byType =
  (type: 'string' | 'number' | 'boolean' | 'timestamp', test: (a: never, b: never) => boolean): Compare =>
  (a, b) => {
    if (type === 'timestamp') {
      return isTimestamp(a) && isTimestamp(b) && test(Date.parse(a) as never, Date.parse(b) as never);
    }
    return typeof a === type && typeof b === type && test(a as never, b as never);
  };

const eq = (a: number | string | boolean, b: number | string | boolean) => a === b;
const lt = (a: number | string, b: number | string) => a < b;
const gt = (a: number | string, b: number | string) => a > b;
const le = (a: number | string, b: number | string) => a <= b;
const ge = (a: number | string, b: number | string) => a >= b;

const COMPARISONS: Record<string, Compare> = {
  StringEquals: byType('string', eq),
  StringLessThan: byType('string', lt),
  StringGreaterThan: byType('string', gt),
  StringLessThanEquals: byType('string', le),
  StringGreaterThanEquals: byType('string', ge),
  NumericEquals: byType('number', eq),
  NumericLessThan: byType('number', lt),
  NumericGreaterThan: byType('number', gt),
  NumericLessThanEquals: byType('number', le),
  NumericGreaterThanEquals: byType('number', ge),
  BooleanEquals: byType('boolean', eq),
  TimestampEquals: byType('timestamp', eq),
  TimestampLessThan: byType('timestamp', lt),
  TimestampGreaterThan: byType('timestamp', gt),
  TimestampLessThanEquals: byType('timestamp', le),
  TimestampGreaterThanEquals: byType('timestamp', ge),
  StringMatches: (a, b) => typeof a === 'string' && typeof b === 'string' && wildcard(b).test(a),
};

/** `*` matches any run of characters; `\*` and `\\` are literal. */
function wildcard(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i] ?? '');
    else if (c === '*') source += '[\\s\\S]*';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The value at `path`, undefined when it points at nothing (an unassigned variable included). */
function read(path: string, input: Json, scope: PathScope): Json | undefined {
  try {
    return queryPathOrUndefined(path, input, scope);
  } catch (error) {
    if (error instanceof UndefinedVariableError) return undefined;
    throw error;
  }
}

/** Whether `rule` holds for `input`. */
export function matchesRule(rule: JsonObject, input: Json, scope: PathScope): boolean {
  if (Array.isArray(rule.And)) return rule.And.filter(isObject).every((r) => matchesRule(r, input, scope));
  if (Array.isArray(rule.Or)) return rule.Or.filter(isObject).some((r) => matchesRule(r, input, scope));
  if (isObject(rule.Not)) return !matchesRule(rule.Not, input, scope);
  const path = typeof rule.Variable === 'string' ? rule.Variable : '$';
  if ('IsPresent' in rule) {
    return (read(path, input, scope) !== undefined) === rule.IsPresent;
  }
  const value = read(path, input, scope);
  if (value === undefined) throw new InvalidChoicePathError(path);
  if ('IsNull' in rule) return (value === null) === rule.IsNull;
  if ('IsString' in rule) return (typeof value === 'string') === rule.IsString;
  if ('IsNumeric' in rule) return (typeof value === 'number') === rule.IsNumeric;
  if ('IsBoolean' in rule) return (typeof value === 'boolean') === rule.IsBoolean;
  if ('IsTimestamp' in rule) return isTimestamp(value) === rule.IsTimestamp;
  for (const [operator, compare] of Object.entries(COMPARISONS)) {
    if (operator in rule) return compare(value, rule[operator] ?? null);
    const pathOperand = rule[`${operator}Path`];
    if (typeof pathOperand === 'string') {
      const other = read(pathOperand, input, scope);
      if (other === undefined) throw new InvalidChoicePathError(pathOperand);
      return compare(value, other);
    }
  }
  return false;
}
