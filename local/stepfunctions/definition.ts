import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { acceptedBefore, rememberAccepted } from './accepted-definitions';

/** A JSON value as it flows through a state machine. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One state of an ASL definition, read loosely: only the fields the engine looks at are typed. */
export interface AslState extends JsonObject {
  Type: string;
}

/** The definition does not satisfy the Amazon States Language (AWS's `InvalidDefinition`). */
export class InvalidDefinitionError extends Error {
  override name = 'InvalidDefinitionError';
}

/** The definition uses a feature the local engine does not run faithfully; `field` names it. */
export class UnsupportedDefinitionError extends Error {
  override name = 'UnsupportedDefinitionError';
  constructor(
    readonly field: string,
    readonly stateName: string | undefined,
    detail: string,
  ) {
    super(
      `${stateName === undefined ? 'The definition' : `State '${stateName}'`} uses ${field}, which the local ` +
        `Step Functions engine does not run (${detail}); run this state machine on AWS`,
    );
  }
}

/** Parses a definition given as text, as CreateStateMachine receives it. */
export function parseDefinition(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidDefinitionError(
      `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${error instanceof Error ? error.message : String(error)}'`,
    );
  }
  if (!isObject(parsed))
    throw new InvalidDefinitionError("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED'");
  return parsed;
}

/** Definitions that passed `checkDefinition`; definitions are never mutated once checked. */
const checkedDefinitions = new WeakSet<JsonObject>();

/**
 * Throws UnsupportedDefinitionError for what the local engine does not run (`.sync` jobs other than
 * states:startExecution, activities, distributed Map, ItemReader/ItemBatcher/ResultWriter), then
 * InvalidDefinitionError for what asl-validator (bundled with aws-local-stepfunctions) rejects.
 */
export function checkDefinition(definition: JsonObject): void {
  // asl-validator rebuilds its JSON schema on every call (~110 ms): check each definition object once, not on every
  // StartExecution of the machine that holds it (and each text once, where accepted-definitions.ts keeps a folder).
  if (checkedDefinitions.has(definition)) return;
  refuseUnsupported(definition);
  const input = forValidator(definition);
  const text = JSON.stringify(input);
  if (!acceptedBefore(text)) {
    try {
      // The constructor runs asl-validator with ARN and JSONPath checks; the instance is discarded.
      const { StateMachine } = aslLibrary();
      new StateMachine(input as unknown as StateMachineDefinition, {
        validationOptions: { checkArn: true, checkPaths: true },
      });
    } catch (error) {
      const detail = (error instanceof Error ? error.message : String(error))
        .replace(/^State machine definition is invalid, see error\(s\) below:\s*/, '')
        .trim();
      throw new InvalidDefinitionError(
        `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ${detail}'`,
      );
    }
    rememberAccepted(text);
  }
  const names = new Set<string>();
  forEachState(definition, (name) => {
    // AWS requires names unique across the whole machine; the engine keys local handlers by name.
    if (names.has(name)) {
      throw new InvalidDefinitionError(
        `Invalid State Machine Definition: 'DUPLICATE_STATE_NAME: Duplicate State name: ${name}'`,
      );
    }
    names.add(name);
  });
  checkedDefinitions.add(definition);
}

/**
 * aws-local-stepfunctions, for asl-validator: loading it costs ~0.3-0.4 s of CPU, in every process and again in every
 * jest test file (each has a module registry of its own). Loaded when a definition must be validated, which a test
 * file whose definitions were all accepted before (accepted-definitions.ts) never needs.
 */
function aslLibrary(): typeof import('aws-local-stepfunctions') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');
}

/**
 * What asl-validator checks: its schema predates parts of JSONata and variables (any JSON as Output, Output and
 * Assign on Choice rules and catchers, a literal boolean Condition, ...), so those fields are left out of the copy
 * it sees; the interpreter evaluates them and reports their errors as AWS does at run time.
 */
function forValidator(definition: JsonObject): JsonObject {
  const copy = JSON.parse(JSON.stringify(definition)) as JsonObject;
  const strip = (entry: Json | undefined) => {
    if (!isObject(entry)) return;
    delete entry.Output;
    delete entry.Assign;
    if ('Condition' in entry && typeof entry.Condition !== 'string') entry.Condition = '{% true %}';
  };
  forEachState(copy, (_name, state) => {
    strip(state);
    for (const field of ['Choices', 'Catch']) {
      const entries = state[field];
      if (Array.isArray(entries)) entries.forEach(strip);
    }
  });
  return copy;
}

function refuseUnsupported(definition: JsonObject): void {
  forEachState(definition, (name, state) => {
    for (const field of ['ItemReader', 'ItemBatcher', 'ResultWriter']) {
      if (field in state) throw new UnsupportedDefinitionError(field, name, 'not implemented locally');
    }
    const processor = state.ItemProcessor;
    if (
      isObject(processor) &&
      isObject(processor.ProcessorConfig) &&
      processor.ProcessorConfig.Mode === 'DISTRIBUTED'
    ) {
      throw new UnsupportedDefinitionError(
        'ProcessorConfig Mode DISTRIBUTED',
        name,
        'distributed Map is not implemented locally',
      );
    }
    const resource = state.Resource;
    if (typeof resource === 'string') {
      // `.waitForTaskToken` runs for any resource; of the run-a-job (`.sync`) integrations, only Step Functions'.
      if (
        /\.sync(:\d+)?$/.test(resource) &&
        !/^arn:aws[a-z-]*:states:::states:startExecution\.sync(:2)?$/.test(resource)
      ) {
        throw new UnsupportedDefinitionError(
          'Resource .sync',
          name,
          'of the run-a-job integrations only states:startExecution.sync is implemented locally',
        );
      }
      if (resource.startsWith('arn:aws:states:') && resource.includes(':activity:')) {
        throw new UnsupportedDefinitionError(
          'Resource activity',
          name,
          'activities are not implemented locally',
        );
      }
    }
  });
}

/** Calls `visit` for every state, recursively through Parallel branches and Map processors. */
export function forEachState(machine: JsonObject, visit: (name: string, state: AslState) => void): void {
  const states = machine.States;
  if (!isObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isState(state)) continue;
    visit(name, state);
    for (const sub of subMachines(state)) forEachState(sub, visit);
  }
}

function subMachines(state: AslState): JsonObject[] {
  const found: JsonObject[] = [];
  if (Array.isArray(state.Branches)) found.push(...state.Branches.filter(isObject));
  if (isObject(state.Iterator)) found.push(state.Iterator);
  if (isObject(state.ItemProcessor)) found.push(state.ItemProcessor);
  return found;
}

/** Each definition's interpreter form, made once: the interpreter reads it and never hands a part of it out. */
const prepared = new WeakMap<JsonObject, JsonObject>();

/**
 * The definition handed to the interpreter (interpreter/run.ts), without what the engine runs itself: Task Retry and
 * TimeoutSeconds (so attempts, backoff and history are its own) and the execution's TimeoutSeconds. Each execution
 * gets its own copy of the containers (the engine wraps each States object of it, see engine.ts trackStates); the
 * states' fields, which the interpreter only reads, are shared. A deep copy per execution was about 3 % of the local
 * Step Functions process's time at saturation.
 */
export function prepareForInterpreter(definition: JsonObject): JsonObject {
  let machine = prepared.get(definition);
  if (!machine) {
    // Not structuredClone: under jest it builds objects of another realm (isObject checks stay simple this way).
    machine = JSON.parse(JSON.stringify(definition)) as JsonObject;
    delete machine.TimeoutSeconds;
    rewrite(machine);
    prepared.set(definition, machine);
  }
  return copyContainers(machine);
}

function copyContainers(machine: JsonObject): JsonObject {
  const states = machine.States;
  if (!isObject(states)) return { ...machine };
  const copied = Object.entries(states).map(([name, state]) => [
    name,
    isState(state) ? copyState(state) : state,
  ]);
  return { ...machine, States: Object.fromEntries(copied) as JsonObject };
}

function copyState(state: AslState): AslState {
  const copy = { ...state };
  if (Array.isArray(state.Branches))
    copy.Branches = state.Branches.map((branch) => (isObject(branch) ? copyContainers(branch) : branch));
  if (isObject(state.Iterator)) copy.Iterator = copyContainers(state.Iterator);
  if (isObject(state.ItemProcessor)) copy.ItemProcessor = copyContainers(state.ItemProcessor);
  return copy;
}

function rewrite(machine: JsonObject): void {
  const states = machine.States;
  if (!isObject(states)) return;
  for (const state of Object.values(states)) {
    if (!isState(state)) continue;
    for (const sub of subMachines(state)) rewrite(sub);
    // The engine retries Tasks itself (attempts, backoff and their history events are its own).
    if (state.Type === 'Task') delete state.Retry;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isState(value: unknown): value is AslState {
  return isObject(value) && typeof value.Type === 'string';
}

/** `value` without its undefined properties (absent, rather than undefined, in history details and API shapes). */
export function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
