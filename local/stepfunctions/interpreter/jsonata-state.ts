/**
 * A state in JSONata: Arguments (Task, Parallel) or Items/ItemSelector (Map) -> the state's work -> Output and
 * Assign, each a template whose `{% %}` strings read `$states.input`, `$states.result`, `$states.errorOutput`,
 * `$states.context` and the variables as they were when the state was entered.
 */
import { isObject, type AslState, type Json, type JsonObject } from '../definition';
import {
  evaluateExpression,
  evaluateTemplate,
  isJsonataExpression,
  jsonTypeName,
  QueryEvaluationError,
  type JsonataBindings,
} from '../jsonata/evaluate';
import { StateEvaluationError } from './errors';
import type { StateLanguage, StateOutcome, TaskTimeouts, WaitTarget } from './language';

export class JsonataState implements StateLanguage {
  constructor(
    private readonly state: AslState,
    private readonly input: Json,
    private readonly context: JsonObject,
    private readonly variables: Record<string, Json>,
    /** The context object of Map iteration `index` (with `Map.Item`). */
    private readonly itemContext: (index: number, item: Json) => JsonObject = () => context,
  ) {}

  private bindings(extra: Record<string, Json | undefined> = {}, context = this.context): JsonataBindings {
    return { states: { input: this.input, context, ...extra }, variables: this.variables };
  }

  private async field(field: string, extra?: Record<string, Json | undefined>): Promise<Json | undefined> {
    const template = this.state[field];
    if (template === undefined) return undefined;
    return guard(() => evaluateTemplate(template, field, this.bindings(extra)));
  }

  async effectiveInput(): Promise<Json> {
    if (this.state.Type === 'Task' || this.state.Type === 'Parallel') {
      return (await this.field('Arguments')) ?? this.input;
    }
    return this.input;
  }

  async taskTimeouts(): Promise<TaskTimeouts> {
    const seconds = async (field: string): Promise<number | undefined> => {
      const value = await this.field(field);
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
        throw query(`The ${field} field must be a positive integer, but was: ${JSON.stringify(value)}`);
      return value;
    };
    const timeoutSeconds = await seconds('TimeoutSeconds');
    const heartbeatSeconds = await seconds('HeartbeatSeconds');
    return {
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
    };
  }

  async items(): Promise<Json[]> {
    const { Items } = this.state;
    if (Items === undefined) {
      if (!Array.isArray(this.input))
        throw query(`Map state input must be an array but was: ${JSON.stringify(this.input)}`);
      return this.input;
    }
    const items = await guard(() => evaluateTemplate(Items, 'Items', this.bindings()));
    if (!Array.isArray(items)) {
      const shown = isJsonataExpression(Items) ? Items.slice(2, -2).trim() : JSON.stringify(Items);
      throw query(
        `The JSONata expression '${shown}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonTypeName(items)}' for value: ${JSON.stringify(items)}`,
      );
    }
    return items;
  }

  async itemInput(_effective: Json, item: Json, index: number): Promise<Json> {
    const selector = this.state.ItemSelector;
    if (selector === undefined) return item;
    return guard(() =>
      evaluateTemplate(selector, 'ItemSelector', this.bindings({}, this.itemContext(index, item))),
    );
  }

  async maxConcurrency(): Promise<number> {
    const value = await this.field('MaxConcurrency');
    if (value === undefined) return 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      throw query(
        `The MaxConcurrency field must be a non-negative integer, but was: ${JSON.stringify(value)}`,
      );
    return value;
  }

  async choose(): Promise<JsonObject | undefined> {
    const rules = Array.isArray(this.state.Choices) ? this.state.Choices.filter(isObject) : [];
    for (const [index, rule] of rules.entries()) {
      const condition = rule.Condition;
      const field = `Choices[${index}]/Condition`;
      const value = isJsonataExpression(condition)
        ? await guard(() => evaluateExpression(condition, field, this.bindings()))
        : (condition ?? null);
      if (typeof value !== 'boolean') {
        throw query(
          `The JSONata expression '${isJsonataExpression(condition) ? condition.slice(2, -2).trim() : JSON.stringify(condition)}' specified for the field '${field}' returned an unexpected result type. Expected 'boolean', but was '${jsonTypeName(value)}' for value: ${JSON.stringify(value)}`,
        );
      }
      if (value) return rule;
    }
    return undefined;
  }

  async waitTarget(): Promise<WaitTarget> {
    if (this.state.Timestamp !== undefined)
      return { timestamp: await this.field('Timestamp'), jsonata: true };
    return { seconds: (await this.field('Seconds')) ?? 0, jsonata: true };
  }

  async failure(): Promise<{ error?: string; cause?: string }> {
    const text = async (field: string) => {
      const value = await this.field(field);
      return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    };
    return { error: await text('Error'), cause: await text('Cause') };
  }

  async finish(result: Json, _effective: Json, rule?: JsonObject): Promise<StateOutcome> {
    const { state } = this;
    const type = state.Type;
    const hasResult = type === 'Task' || type === 'Map' || type === 'Parallel';
    const extra: Record<string, Json> = hasResult ? { result } : {};
    // A Choice rule's Output/Assign apply when it is taken (named `Choices[i]/...` in errors); the state's own
    // when Default is.
    const rules = Array.isArray(state.Choices) ? state.Choices : [];
    const source: JsonObject = type === 'Choice' ? (rule ?? state) : state;
    const prefix = rule ? `Choices[${rules.indexOf(rule)}]/` : '';
    const assigned = await this.assign(source.Assign, extra, `${prefix}Assign`);
    const output =
      source.Output === undefined
        ? hasResult
          ? result
          : this.input
        : await guard(() => evaluateTemplate(source.Output ?? null, `${prefix}Output`, this.bindings(extra)));
    return assigned === undefined ? { output } : { output, assigned };
  }

  async caught(catcher: JsonObject, errorOutput: JsonObject): Promise<StateOutcome> {
    const extra = { errorOutput };
    const catchers = Array.isArray(this.state.Catch) ? this.state.Catch : [];
    const prefix = `Catch[${catchers.indexOf(catcher)}]/`;
    const assigned = await this.assign(catcher.Assign, extra, `${prefix}Assign`);
    const output =
      catcher.Output === undefined
        ? errorOutput
        : await guard(() =>
            evaluateTemplate(catcher.Output ?? null, `${prefix}Output`, this.bindings(extra)),
          );
    return assigned === undefined ? { output } : { output, assigned };
  }

  private async assign(
    template: Json | undefined,
    extra: Record<string, Json>,
    field = 'Assign',
  ): Promise<Record<string, Json> | undefined> {
    if (template === undefined) return undefined;
    const value = await guard(() => evaluateTemplate(template, field, this.bindings(extra)));
    return isObject(value) ? value : {};
  }
}

function query(message: string): StateEvaluationError {
  return new StateEvaluationError('States.QueryEvaluationError', message);
}

/** JSONata failures become the state's States.QueryEvaluationError. */
async function guard<T>(evaluate: () => Promise<T>): Promise<T> {
  try {
    return await evaluate();
  } catch (error) {
    if (error instanceof QueryEvaluationError) throw query(error.message);
    throw error;
  }
}
