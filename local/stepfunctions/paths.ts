/**
 * JSONPath as Step Functions evaluates it (AWS runs Jayway JsonPath): a definite path (`$.a.b`, `$.a[0]`) yields
 * one value or fails when nothing is there; an indefinite path (wildcards, slices, filters, unions, `..`) yields
 * the list of what it matched, `[]` when nothing matched. `$$` reads the context object and `$name` a variable.
 */
import { JSONPath } from 'jsonpath-plus';
import { isObject, type Json, type JsonObject } from './definition';

/** What a path may read besides the state's input. */
export interface PathScope {
  context: Json;
  /** The value of variable `name`, undefined if it was never assigned. */
  variable?: (name: string) => Json | undefined;
}

/** A path pointed at nothing; `field`-less messages are worded by the caller. */
export class PathNotFoundError extends Error {
  override name = 'PathNotFoundError';
  constructor(readonly path: string) {
    super(`Path expression '${path}' does not point to a value`);
  }
}

/** A `$name` path whose variable was never assigned. */
export class UndefinedVariableError extends Error {
  override name = 'UndefinedVariableError';
  constructor(readonly variableName: string) {
    super(`Variable '${variableName}' is not defined`);
  }
}

const VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$/s;

/** Whether `path` reads a variable (`$x`, `$x.y`) rather than the input (`$`, `$.a`) or the context (`$$`). */
export function isVariablePath(path: string): boolean {
  return VARIABLE.test(path);
}

/** Whether a path selects at most one value (Jayway's "definite" path). */
export function isDefinitePath(path: string): boolean {
  const unquoted = path.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''");
  return !/\*|\.\.|\[\s*\?|\[[^\]]*[:,][^\]]*\]/.test(unquoted);
}

/**
 * Evaluates `path` on `input`. Definite paths return their value and throw PathNotFoundError when it is absent;
 * indefinite paths return an array (possibly empty).
 */
export function queryPath(path: string, input: Json, scope: PathScope): Json {
  let root: Json = input;
  let rest = path;
  if (path.startsWith('$$')) {
    root = scope.context;
    rest = path.slice(1);
  } else {
    const variable = VARIABLE.exec(path);
    if (variable) {
      const name = variable[1] ?? '';
      const value = scope.variable?.(name);
      if (value === undefined) throw new UndefinedVariableError(name);
      root = value;
      rest = `$${variable[2] ?? ''}`;
    }
  }
  if (rest === '$') return root;
  const matches = evaluate(rest, root);
  if (!isDefinitePath(rest)) return matches;
  if (matches.length === 0) throw new PathNotFoundError(path);
  return matches[0] ?? null;
}

/** Like queryPath, but undefined (not an error) when a definite path points at nothing. */
export function queryPathOrUndefined(path: string, input: Json, scope: PathScope): Json | undefined {
  try {
    return queryPath(path, input, scope);
  } catch (error) {
    if (error instanceof PathNotFoundError) return undefined;
    throw error;
  }
}

function evaluate(path: string, root: Json): Json[] {
  // jsonpath-plus treats a falsy `json` as missing: wrap the root so `null`, `0`, `''` and `false` work too.
  const wrapped = { root };
  const inner = `$.root${path.slice(1)}`;
  const result: unknown = JSONPath({ path: inner, json: wrapped, wrap: true, eval: 'safe' });
  return Array.isArray(result) ? (result as Json[]) : [];
}

/** The library's ResultPath error: the input cannot hold the result at `path`. */
export class ResultPathMatchFailureError extends Error {
  override name = 'States.ResultPathMatchFailure';
}

/**
 * Puts `result` into `input` at a ResultPath (`$` replaces the input, null discards the result); intermediate
 * objects are created. Throws ResultPathMatchFailureError when a step is not an object.
 */
export function applyResultPath(path: string | null | undefined, input: Json, result: Json): Json {
  if (path === undefined || path === '$') return result;
  if (path === null) return input;
  const steps = pathSteps(path);
  if (!isObject(input)) {
    throw new ResultPathMatchFailureError(
      `Unable to apply ResultPath '${path}' to input '${JSON.stringify(input)}'`,
    );
  }
  const copy = JSON.parse(JSON.stringify(input)) as JsonObject;
  let target: JsonObject = copy;
  steps.forEach((step, i) => {
    if (i === steps.length - 1) {
      target[step] = result;
      return;
    }
    const next = target[step];
    if (next === undefined || next === null) target[step] = {};
    else if (!isObject(next)) {
      throw new ResultPathMatchFailureError(
        `Unable to apply ResultPath '${path}' to input '${JSON.stringify(input)}'`,
      );
    }
    target = target[step] as JsonObject;
  });
  return copy;
}

/** `$.a.b['c d']` -> ['a', 'b', 'c d'] (reference paths only). */
function pathSteps(path: string): string[] {
  const steps: string[] = [];
  const pattern = /\.([^.[\]]+)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/g;
  for (const match of path.slice(1).matchAll(pattern)) steps.push(match[1] ?? match[2] ?? match[3] ?? '');
  return steps;
}
