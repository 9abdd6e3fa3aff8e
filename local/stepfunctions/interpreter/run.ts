/**
 * The interpreter of one execution: walks the states from StartAt, evaluates each in its query language (see
 * jsonpath-state.ts and jsonata-state.ts), runs Parallel branches and Map iterations in scopes of their own,
 * applies Retry (Parallel, Map) and Catch (every state), and reports what happens as events, synchronously. Task
 * and Wait states call the engine's handlers (the engine owns Task invocation, Task Retry and time).
 */
import { isObject, type AslState, type Json, type JsonObject } from '../definition';
import { SETTLED } from '../clock';
import { errorMatches, readRetriers, RetryPolicy } from '../retry';
import { VariableScope } from '../variables';
import { StateEvaluationError, StateFailure } from './errors';
import { JsonataState } from './jsonata-state';
import { JsonPathState } from './jsonpath-state';
import type { QueryLanguage, StateLanguage } from './language';
import type { MachineEvent, MachineRun, RunOptions } from './events';
import { waitMilliseconds } from './wait';

export type { HandlerDetails, MachineEvent, MachineRun, RunOptions, StateHandler } from './events';

/** Starts interpreting `definition` on `input`. */
export function runMachine(definition: JsonObject, input: Json, options: RunOptions): MachineRun {
  const interpreter = new Interpreter(definition, options);
  return { result: interpreter.run(input), abort: () => interpreter.abort() };
}

class Aborted extends Error {}

type Visit = { output: Json; next?: string; end: boolean };

const settle = async <T>(value: T | Promise<T>): Promise<T> => value;

class Interpreter {
  private readonly controller = new AbortController();
  private readonly language: QueryLanguage;
  private context: JsonObject = {};

  constructor(
    private readonly definition: JsonObject,
    private readonly options: RunOptions,
  ) {
    this.language = definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  }

  abort(): void {
    this.controller.abort(SETTLED);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private emit(event: MachineEvent): void {
    if (!this.controller.signal.aborted) this.options.onEvent(event);
  }

  async run(input: Json): Promise<void> {
    const execution = isObject(this.options.context.Execution) ? this.options.context.Execution : {};
    this.context = {
      ...this.options.context,
      // The engine passes the start time it recorded (a resumed execution keeps its own).
      Execution: {
        StartTime: new Date(this.now()).toISOString(),
        ...execution,
        Input: input,
      },
    };
    try {
      const output = await this.runStates(
        this.definition,
        input,
        new VariableScope(),
        this.controller.signal,
      );
      this.emit({ type: 'ExecutionSucceeded', output });
    } catch (thrown) {
      if (this.controller.signal.aborted || thrown instanceof Aborted) return;
      const failure = this.failureOf('', thrown);
      this.emit({
        type: 'ExecutionFailed',
        Error: failure.error,
        ...(failure.failureCause === undefined ? {} : { Cause: failure.failureCause }),
      });
    }
  }

  private async runStates(
    machine: JsonObject,
    input: Json,
    scope: VariableScope,
    signal: AbortSignal,
  ): Promise<Json> {
    let name = typeof machine.StartAt === 'string' ? machine.StartAt : '';
    let current = input;
    const states = isObject(machine.States) ? machine.States : {};
    for (;;) {
      if (signal.aborted) throw new Aborted();
      // Read once per entry: the engine watches these reads to know the state being entered.
      const state = states[name];
      if (!isObject(state) || typeof state.Type !== 'string')
        throw new StateFailure('States.Runtime', `State '${name}' does not exist`);
      const visit = await this.visit(name, state as AslState, current, scope, signal);
      if (visit.end) return visit.output;
      name = visit.next ?? '';
      current = visit.output;
    }
  }

  private languageOf(state: AslState): QueryLanguage {
    if (state.QueryLanguage === 'JSONata' || state.QueryLanguage === 'JSONPath') return state.QueryLanguage;
    return this.language;
  }

  private stateFor(name: string, state: AslState, input: Json, scope: VariableScope): StateLanguage {
    const context: JsonObject = {
      ...this.context,
      State: { EnteredTime: new Date(this.now()).toISOString(), Name: name },
    };
    const withItem = (index: number, item: Json): JsonObject => ({
      ...context,
      Map: { Item: { Index: index, Value: item } },
    });
    if (this.languageOf(state) === 'JSONata')
      return new JsonataState(state, input, context, scope.all(), withItem);
    const variable = (n: string) => scope.get(n);
    return new JsonPathState(state, input, { context, variable }, (index, item) => ({
      context: withItem(index, item),
      variable,
    }));
  }

  private async visit(
    name: string,
    state: AslState,
    input: Json,
    scope: VariableScope,
    signal: AbortSignal,
  ): Promise<Visit> {
    const type = state.Type;
    const described = { name, type, input };
    this.emit({ type: 'StateEntered', state: described });
    const policy = new RetryPolicy(readRetriers(state.Retry), type === 'Task');
    for (let attempt = 0; ; attempt++) {
      const io = this.stateFor(name, state, input, scope);
      try {
        const visit = await this.execute(name, state, io, input, scope, signal);
        const { assigned } = visit;
        if (assigned) scope.assign(assigned);
        this.emit({
          type: 'StateExited',
          state: { ...described, output: visit.output, ...(assigned ? { assignedVariables: assigned } : {}) },
        });
        return visit;
      } catch (thrown) {
        if (signal.aborted || thrown instanceof Aborted) throw new Aborted();
        const failure = this.failureOf(name, thrown);
        this.emit({
          type: 'StateFailed',
          state: described,
          Error: failure.error,
          ...(failure.failureCause === undefined ? {} : { Cause: failure.failureCause }),
        });
        if (type === 'Parallel' || type === 'Map') {
          const retry = policy.next(failure.error);
          if (retry) {
            await this.sleep(retry.delayMs, signal);
            this.emit({ type: 'StateRetried', state: described, retry: { attempt: attempt + 1 } });
            continue;
          }
        }
        const catchers = Array.isArray(state.Catch) ? state.Catch.filter(isObject) : [];
        const catcher = catchers.find((c) =>
          errorMatches(
            Array.isArray(c.ErrorEquals) ? c.ErrorEquals.filter((e) => typeof e === 'string') : [],
            failure.error,
            type === 'Task',
          ),
        );
        if (!catcher || failure.error === 'States.Runtime') throw failure;
        // Cause is always there for a catcher (empty when the error had none): `$.error.Cause` paths keep working.
        const errorOutput: JsonObject = { Error: failure.error, Cause: failure.failureCause ?? '' };
        const caught = await this.guarded(name, () => settle(io.caught(catcher, errorOutput)));
        if (caught.assigned) scope.assign(caught.assigned);
        this.emit({
          type: 'StateExited',
          state: {
            ...described,
            output: caught.output,
            ...(caught.assigned ? { assignedVariables: caught.assigned } : {}),
          },
        });
        return {
          output: caught.output,
          next: typeof catcher.Next === 'string' ? catcher.Next : '',
          end: false,
        };
      }
    }
  }

  private async guarded<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (thrown) {
      throw this.failureOf(name, thrown);
    }
  }

  private async sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0) return;
    if (this.options.sleep) await this.options.sleep(ms, signal);
    else await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** The state's work; JSONPath states reach a Task's handler synchronously (see StateLanguage). */
  private async execute(
    name: string,
    state: AslState,
    io: StateLanguage,
    input: Json,
    scope: VariableScope,
    signal: AbortSignal,
  ): Promise<Visit & { assigned?: Record<string, Json> }> {
    const pending = io.effectiveInput();
    const effective = pending instanceof Promise ? await pending : pending;
    let result: Json = effective;
    let next = typeof state.Next === 'string' ? state.Next : undefined;
    let end = state.End === true;
    let rule: JsonObject | undefined;
    switch (state.Type) {
      case 'Pass':
        // A copy: the definition is shared by every execution of the machine (definition.ts prepareForInterpreter).
        if (state.Result !== undefined && this.languageOf(state) === 'JSONPath')
          result = JSON.parse(JSON.stringify(state.Result)) as Json;
        break;
      case 'Task': {
        const timeouts = io.taskTimeouts(effective);
        result = await this.handler(name)(effective, timeouts instanceof Promise ? await timeouts : timeouts);
        break;
      }
      case 'Wait': {
        const target = await settle(io.waitTarget(effective));
        await this.handler(name)(effective, { waitMs: waitMilliseconds(target, this.now()) });
        break;
      }
      case 'Choice':
        rule = await settle(io.choose(effective));
        next =
          typeof rule?.Next === 'string'
            ? rule.Next
            : typeof state.Default === 'string'
              ? state.Default
              : undefined;
        if (next === undefined) throw new StateFailure('States.NoChoiceMatched', undefined);
        end = false;
        break;
      case 'Succeed':
        end = true;
        break;
      case 'Fail': {
        const failure = await settle(io.failure(effective));
        throw new StateFailure(failure.error ?? '', failure.cause);
      }
      case 'Parallel':
        result = await this.parallel(state, effective, scope, signal);
        break;
      case 'Map':
        result = await this.map(name, state, io, input, effective, scope, signal);
        break;
      default:
        throw new StateFailure('States.Runtime', `Unknown state type '${state.Type}'`);
    }
    const outcome = await settle(io.finish(result, effective, rule));
    return { ...outcome, next, end };
  }

  private handler(name: string) {
    const handler = this.options.handlers[name];
    if (!handler) throw new StateFailure('States.Runtime', `No handler for state '${name}'`);
    return handler;
  }

  private async parallel(
    state: AslState,
    input: Json,
    scope: VariableScope,
    signal: AbortSignal,
  ): Promise<Json[]> {
    const branches = Array.isArray(state.Branches) ? state.Branches.filter(isObject) : [];
    const stop = new AbortController();
    const sub = AbortSignal.any([signal, stop.signal]);
    try {
      return await Promise.all(branches.map((branch) => this.runStates(branch, input, scope.child(), sub)));
    } finally {
      stop.abort(SETTLED);
    }
  }

  private async map(
    name: string,
    state: AslState,
    io: StateLanguage,
    rawInput: Json,
    effective: Json,
    scope: VariableScope,
    signal: AbortSignal,
  ): Promise<Json[]> {
    const items = await settle(io.items(effective));
    const limit = (await settle(io.maxConcurrency(effective))) || DEFAULT_MAP_CONCURRENCY;
    const processor = isObject(state.ItemProcessor)
      ? state.ItemProcessor
      : isObject(state.Iterator)
        ? state.Iterator
        : {};
    const stop = new AbortController();
    const sub = AbortSignal.any([signal, stop.signal]);
    const parentState = { name, type: 'Map', input: rawInput };
    this.emit({ type: 'MapStarted', state: parentState, length: items.length });
    const results: Json[] = new Array<Json>(items.length).fill(null);
    let nextIndex = 0;
    const worker = async (): Promise<void> => {
      while (nextIndex < items.length && !sub.aborted) {
        const index = nextIndex++;
        this.emit({ type: 'MapIterationStarted', index, parentState });
        try {
          const itemInput = await settle(io.itemInput(effective, items[index] ?? null, index));
          results[index] = await this.runStates(processor, itemInput, scope.child(), sub);
          this.emit({ type: 'MapIterationSucceeded', index, parentState });
        } catch (thrown) {
          if (!sub.aborted) this.emit({ type: 'MapIterationFailed', index, parentState });
          throw thrown;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
      return results;
    } finally {
      stop.abort(SETTLED);
    }
  }

  /** Any thrown value as a StateFailure; evaluation errors get AWS's preamble naming the state. */
  private failureOf(name: string, thrown: unknown): StateFailure {
    if (thrown instanceof StateFailure) return thrown;
    if (thrown instanceof StateEvaluationError) {
      const cause = this.options.describeError?.(name, thrown.message) ?? thrown.message;
      return new StateFailure(thrown.name, cause);
    }
    if (thrown instanceof Error) {
      const cause = (thrown as { cause?: unknown }).cause;
      const text = typeof cause === 'string' ? cause : thrown.message;
      return new StateFailure(thrown.name, text === '' ? undefined : text);
    }
    return new StateFailure('Error', String(thrown));
  }
}

/** As aws-local-stepfunctions did: at most 40 iterations at once when MaxConcurrency is 0 or absent. */
const DEFAULT_MAP_CONCURRENCY = 40;
