import { isObject, type AslState, type Json } from './definition';

/** An error raised by the engine with an ASL error name; States.Runtime is neither retried nor caught. */
export class StatesError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
    this.isRetryable = name !== 'States.Runtime';
    this.isCatchable = name !== 'States.Runtime';
  }
}

/** AWS's wording for a States.Runtime failure: the state, and the id of the event that entered it. */
export function runtimeCause(stateName: string, enteredEventId: number | undefined, message: string): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId ?? 0}). ${message}`;
}

/**
 * Rewords a bare "path points at nothing" message (PathNotFoundError's) as AWS words it, where the state tells
 * which field held the failing path; other messages pass through. The interpreter words its own failures already.
 */
export function describeRuntimeError(state: AslState, message: string, input: Json): string {
  const missing = /^Path expression '(.+)' does not point to a value$/.exec(message);
  if (missing?.[1] !== undefined) {
    const path = missing[1];
    if (state.InputPath === path || state.OutputPath === path) {
      return `Invalid path '${path}' : No results for path: ${bracketPath(path)}`;
    }
    const field =
      ['ErrorPath', 'CausePath', 'ItemsPath', 'SecondsPath', 'TimestampPath'].find(
        (f) => state[f] === path,
      ) ??
      findTemplateField(state.Parameters, path) ??
      findTemplateField(state.ItemSelector, path) ??
      findTemplateField(state.ResultSelector, path);
    if (field !== undefined) {
      return `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`;
    }
  }
  const notInteger = /^Path expression '(.+)' evaluated to (.+), but expected an integer/.exec(message);
  if (notInteger?.[1] !== undefined && state.MaxConcurrencyPath === notInteger[1]) {
    const shown = showParsed(notInteger[2] ?? '');
    return `The MaxConcurrencyPath field refers to value "${shown}" which is not a valid integer: ${notInteger[1]}`;
  }
  return message;
}

function findTemplateField(template: Json | undefined, path: string): string | undefined {
  if (Array.isArray(template)) {
    for (const item of template) {
      const found = findTemplateField(item, path);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isObject(template)) return undefined;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && value === path) return key;
    const found = findTemplateField(value, path);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `$.a.b` -> `$['a']['b']`, as AWS's JSONPath library prints it. */
function bracketPath(path: string): string {
  return `$${path
    .slice(1)
    .split('.')
    .filter((part) => part !== '')
    .map((part) => `['${part}']`)
    .join('')}`;
}

function showParsed(text: string): string {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return text;
  }
}
