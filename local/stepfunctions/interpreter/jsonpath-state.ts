/**
 * A state in JSONPath: InputPath -> Parameters (or ItemSelector per Map item) -> the state's work ->
 * ResultSelector -> ResultPath -> OutputPath, plus Assign (its `$` is the state's result, `$$` the context). Every
 * method answers synchronously.
 */
import { isObject, type AslState, type Json, type JsonObject } from '../definition';
import { evaluateIntrinsic, isIntrinsic } from '../intrinsics';
import {
  applyResultPath,
  PathNotFoundError,
  queryPath,
  ResultPathMatchFailureError,
  UndefinedVariableError,
  type PathScope,
} from '../paths';
import { InvalidChoicePathError, matchesRule } from './choice-rules';
import type { StateLanguage, StateOutcome, TaskTimeouts, WaitTarget } from './language';
import { StateEvaluationError } from './errors';

export class JsonPathState implements StateLanguage {
  constructor(
    private readonly state: AslState,
    private readonly input: Json,
    private readonly scope: PathScope,
    /** The context object with `Map.Item` for ItemSelector. */
    private readonly itemScope: (index: number, item: Json) => PathScope = () => scope,
  ) {}

  private inputPath(): Json {
    const path = this.state.InputPath;
    if (path === null) return {};
    if (typeof path !== 'string') return this.input;
    return this.read(path, this.input, undefined);
  }

  /** A path of a field; `field` undefined: InputPath/OutputPath wording. */
  private read(path: string, input: Json, field: string | undefined, scope = this.scope): Json {
    try {
      return queryPath(path, input, scope);
    } catch (error) {
      if (error instanceof PathNotFoundError || error instanceof UndefinedVariableError) {
        if (field === undefined) {
          throw runtime(`Invalid path '${path}' : No results for path: ${bracketPath(path)}`);
        }
        throw runtime(
          `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`,
        );
      }
      // A path jsonpath-plus cannot evaluate fails the state as AWS fails an unusable path.
      if (error instanceof Error) throw runtime(`Invalid path '${path}': ${error.message}`);
      throw error;
    }
  }

  /** Parameters, ItemSelector, ResultSelector and Assign templates: `key.$` fields are paths or intrinsics. */
  template(template: Json, input: Json, scope = this.scope): Json {
    if (Array.isArray(template)) return template.map((item) => this.template(item, input, scope));
    if (!isObject(template)) return template;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(template)) {
      if (key.endsWith('.$') && typeof value === 'string') {
        out[key.slice(0, -2)] = this.dynamic(value, input, key, scope);
      } else out[key] = this.template(value, input, scope);
    }
    return out;
  }

  private dynamic(value: string, input: Json, field: string, scope: PathScope): Json {
    if (isIntrinsic(value)) {
      try {
        return evaluateIntrinsic(value, input, scope);
      } catch (error) {
        if (error instanceof PathNotFoundError || error instanceof UndefinedVariableError) {
          throw runtime(
            `The JSONPath '${error instanceof PathNotFoundError ? error.path : `$${error.variableName}`}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`,
          );
        }
        if (error instanceof Error) throw runtime(error.message);
        throw error;
      }
    }
    return this.read(value, input, field, scope);
  }

  effectiveInput(): Json {
    const input = this.inputPath();
    const { Parameters } = this.state;
    if (Parameters === undefined || this.state.Type === 'Map') return input;
    return this.template(Parameters, input);
  }

  taskTimeouts(): TaskTimeouts {
    const seconds = (field: string): number | undefined => {
      const literal = this.state[field];
      if (typeof literal === 'number') return literal;
      const path = this.state[`${field}Path`];
      if (typeof path !== 'string') return undefined;
      const value = this.read(path, this.input, `${field}Path`);
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
        throw runtime(
          `The ${field}Path field refers to value "${JSON.stringify(value)}" which is not a valid positive integer: ${path}`,
        );
      return value;
    };
    const timeoutSeconds = seconds('TimeoutSeconds');
    const heartbeatSeconds = seconds('HeartbeatSeconds');
    return {
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
    };
  }

  items(effective: Json): Json[] {
    const path = typeof this.state.ItemsPath === 'string' ? this.state.ItemsPath : '$';
    const items = this.read(path, effective, 'ItemsPath');
    if (!Array.isArray(items)) {
      throw runtime(`Map state input must be an array but was: ${JSON.stringify(items)}`);
    }
    return items;
  }

  itemInput(effective: Json, item: Json, index: number): Json {
    const selector = this.state.ItemSelector ?? this.state.Parameters;
    if (selector === undefined) return item;
    return this.template(selector, effective, this.itemScope(index, item));
  }

  maxConcurrency(effective: Json): number {
    const path = this.state.MaxConcurrencyPath;
    if (typeof path === 'string') {
      const read = this.read(path, effective, 'MaxConcurrencyPath');
      // AWS also takes an integer written as a string ("1").
      const value = typeof read === 'string' && /^\d+$/.test(read) ? Number(read) : read;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        const shown = typeof read === 'string' ? read : JSON.stringify(read);
        throw runtime(
          `The MaxConcurrencyPath field refers to value "${shown}" which is not a valid integer: ${path}`,
        );
      }
      return value;
    }
    return typeof this.state.MaxConcurrency === 'number' ? this.state.MaxConcurrency : 0;
  }

  choose(effective: Json): JsonObject | undefined {
    const rules = Array.isArray(this.state.Choices) ? this.state.Choices.filter(isObject) : [];
    try {
      return rules.find((rule) => matchesRule(rule, effective, this.scope));
    } catch (error) {
      if (error instanceof InvalidChoicePathError) throw runtime(error.message);
      throw error;
    }
  }

  waitTarget(effective: Json): WaitTarget {
    const { state } = this;
    if (typeof state.SecondsPath === 'string')
      return { seconds: this.read(state.SecondsPath, effective, 'SecondsPath'), path: state.SecondsPath };
    if (typeof state.TimestampPath === 'string')
      return {
        timestamp: this.read(state.TimestampPath, effective, 'TimestampPath'),
        path: state.TimestampPath,
      };
    if (state.Timestamp !== undefined) return { timestamp: state.Timestamp };
    return { seconds: state.Seconds ?? 0 };
  }

  failure(effective: Json): { error?: string; cause?: string } {
    const pick = (literal: string, pathField: string): string | undefined => {
      const path = this.state[pathField];
      if (typeof path === 'string') {
        const value = this.dynamic(path, effective, pathField, this.scope);
        return typeof value === 'string' ? value : JSON.stringify(value);
      }
      const value = this.state[literal];
      return typeof value === 'string' ? value : undefined;
    };
    return { error: pick('Error', 'ErrorPath'), cause: pick('Cause', 'CausePath') };
  }

  finish(result: Json, _effective: Json, rule?: JsonObject): StateOutcome {
    const { state } = this;
    const type = state.Type;
    let selected = result;
    if ((type === 'Task' || type === 'Map' || type === 'Parallel') && state.ResultSelector !== undefined)
      selected = this.template(state.ResultSelector, result);
    const assignSource =
      type === 'Choice' ? (rule?.Assign ?? (rule ? undefined : state.Assign)) : state.Assign;
    const assigned = assignSource === undefined ? undefined : this.assign(assignSource, selected);
    let output = selected;
    if (type === 'Pass' || type === 'Task' || type === 'Map' || type === 'Parallel') {
      output = this.resultPath(state.ResultPath, selected);
    }
    output = this.outputPath(output);
    return assigned === undefined ? { output } : { output, assigned };
  }

  caught(catcher: JsonObject, errorOutput: JsonObject): StateOutcome {
    const assigned = catcher.Assign === undefined ? undefined : this.assign(catcher.Assign, errorOutput);
    const output = this.resultPath(catcher.ResultPath, errorOutput);
    return assigned === undefined ? { output } : { output, assigned };
  }

  private assign(template: Json, value: Json): Record<string, Json> {
    const resolved = this.template(template, value);
    return isObject(resolved) ? resolved : {};
  }

  private resultPath(path: Json | undefined, result: Json): Json {
    try {
      return applyResultPath(
        typeof path === 'string' || path === null ? path : undefined,
        this.input,
        result,
      );
    } catch (error) {
      if (error instanceof ResultPathMatchFailureError)
        throw new StateEvaluationError('States.ResultPathMatchFailure', error.message);
      throw error;
    }
  }

  private outputPath(value: Json): Json {
    const path = this.state.OutputPath;
    if (path === null) return {};
    if (typeof path !== 'string') return value;
    return this.read(path, value, undefined);
  }
}

function runtime(message: string): StateEvaluationError {
  return new StateEvaluationError('States.Runtime', message);
}

/** `$.a.b` -> `$['a']['b']`, as AWS's JSONPath library prints a path. */
function bracketPath(path: string): string {
  if (!/^\$(\.[^.[\]]+)*$/.test(path)) return path;
  return `$${path
    .slice(1)
    .split('.')
    .filter((part) => part !== '')
    .map((part) => `['${part}']`)
    .join('')}`;
}
