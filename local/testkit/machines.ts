import { localStateMachineArn } from '../serverless-config';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition, type PlaceholderKind } from '../../statemachines/load-asl';
import { forEachState, isObject, type Json, type JsonObject } from '../stepfunctions/definition';
import type { Faults } from './faults';
import type { InProcessLambdas } from './lambda';
import type { KitState } from './state';

const ROOT = join(__dirname, '..', '..');
const MACHINE_PLACEHOLDER = /^\$\{([A-Z][A-Za-z0-9]*)StateMachineArn\}$/;

/** The local ARN of a machine of statemachines/, named `<service>-<stage>-<ASL file name>` as in serverless.yml. */
export function arnOf(state: KitState, machine: string): string {
  return localStateMachineArn(state.region, `${state.service}-${state.stage}-${machine}`);
}

/**
 * The machines runWorkflow starts, placeholders resolved, each loaded once for the kit's life (a test file): the
 * engine validates a definition object once (asl-validator builds its JSON schema anew on every call, ~0.1 s), so
 * handing it the same object on every run saves that per run.
 */
export class MachineLoader {
  private readonly fromFiles = new Map<string, JsonObject>();
  private readonly fromTests = new WeakMap<JsonObject, JsonObject>();

  constructor(
    private readonly state: KitState,
    private readonly lambdas: InProcessLambdas,
  ) {}

  /** The machines of one run: the test's own `definitions` first, then statemachines/. */
  machines(definitions: Record<string, JsonObject> = {}): Machines {
    const exists = (machine: string) =>
      Object.hasOwn(definitions, machine) || existsSync(join(ROOT, 'statemachines', `${machine}.asl.json`));
    const load = (machine: string): JsonObject => {
      if (!exists(machine)) {
        throw new Error(
          `statemachines/${machine}.asl.json does not exist (nor a test definition "${machine}")`,
        );
      }
      const own = definitions[machine];
      if (own) return this.remember(this.fromTests, own, () => this.resolve(machine, own, exists));
      return this.remember(this.fromFiles, machine, () => this.resolve(machine, undefined, exists));
    };
    return { exists, load };
  }

  private remember<K extends string | JsonObject>(
    cache: { get(key: K): JsonObject | undefined; set(key: K, value: JsonObject): unknown },
    key: K,
    loadOnce: () => JsonObject,
  ): JsonObject {
    const known = cache.get(key);
    if (known) return known;
    const loaded = loadOnce();
    cache.set(key, loaded);
    return loaded;
  }

  /**
   * The machine (a test's own definition or statemachines/<machine>.asl.json) with `${XxxFunctionArn}` as local
   * Lambda ARNs and `${XxxStateMachineArn}` as the local ARN of machine `xxx`.
   */
  private resolve(machine: string, own: JsonObject | undefined, exists: (machine: string) => boolean) {
    const resolveArn = (key: string, kind?: PlaceholderKind) => {
      if (kind === 'stateMachine') return arnOf(this.state, key);
      if (kind === 'table') return tableName(this.state, key);
      return this.lambdas.arnOf(key);
    };
    // load-asl.js resolves every kind of placeholder; a test's own definition gets its state machines resolved below.
    const definition = own
      ? replaceFunctionPlaceholders(own, resolveArn)
      : (loadDefinition(machine, resolveArn) as JsonObject);
    const resolve = (value: Json): Json => {
      if (Array.isArray(value)) return value.map(resolve);
      if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      const match = typeof value === 'string' ? MACHINE_PLACEHOLDER.exec(value) : null;
      if (!match?.[1]) return value;
      const child = match[1].charAt(0).toLowerCase() + match[1].slice(1);
      if (!exists(child)) {
        throw new Error(`${machine} references ${value}, but statemachines/${child}.asl.json does not exist`);
      }
      return arnOf(this.state, child);
    };
    return resolve(definition) as JsonObject;
  }
}

/** Where one run's machines come from. */
export interface Machines {
  exists(machine: string): boolean;
  load(machine: string): JsonObject;
}

/** `${XxxFunctionArn}` strings of a test's own definition, resolved as load-asl.js does for statemachines/. */
function replaceFunctionPlaceholders(
  value: Json,
  resolveArn: (key: string, kind?: PlaceholderKind) => unknown,
): JsonObject {
  const visit = (item: Json): Json => {
    if (Array.isArray(item)) return item.map(visit);
    if (isObject(item)) return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, visit(v)]));
    const match = typeof item === 'string' ? /^\$\{([A-Z][A-Za-z0-9]*)FunctionArn\}$/.exec(item) : null;
    if (!match?.[1]) return item;
    return resolveArn(match[1].charAt(0).toLowerCase() + match[1].slice(1), 'function') as Json;
  };
  return visit(value) as JsonObject;
}

/** The name of table `key` (serverless.yml custom.tables) in the kit's DynamoDB Local. */
function tableName(state: KitState, key: string): string {
  const name = state.tables[key];
  if (!name)
    throw new Error(
      `\${${key.charAt(0).toUpperCase()}${key.slice(1)}TableName}: serverless.yml has no table ${key}`,
    );
  return name;
}

/**
 * The machine, every machine its `${XxxStateMachineArn}` placeholders name, and every machine a function its Tasks
 * invoke may start (an ARN of statemachines/ in that function's environment: requestPickup's sandbox carrier),
 * recursively.
 */
function machinesFrom(machine: string, state: KitState, machines: Machines): Map<string, JsonObject> {
  const found = new Map<string, JsonObject>([[machine, machines.load(machine)]]);
  const prefix = arnOf(state, '');
  const add = (arn: unknown) => {
    if (typeof arn !== 'string' || !arn.startsWith(prefix)) return;
    const child = arn.slice(prefix.length);
    if (found.has(child) || !machines.exists(child)) return;
    const childDefinition = machines.load(child);
    found.set(child, childDefinition);
    visit(childDefinition);
  };
  const visit = (definition: JsonObject) => {
    forEachState(definition, (_name, s) => {
      add(isObject(s.Parameters) ? s.Parameters.StateMachineArn : undefined);
      if (s.Type !== 'Task') return;
      const task = JSON.stringify([s.Resource, s.Parameters, s.Arguments]);
      for (const fn of Object.values(state.functions)) {
        if (task.includes(`:function:${fn.name}"`)) Object.values(fn.environment).forEach(add);
      }
    });
  };
  visit(found.get(machine) ?? {});
  return found;
}

/**
 * A fault, stub or callback for a state that is not a Task (of the machine or a child), a hang without a timeout, or
 * a callback for a Task that waits for no token, is a mistake in the test.
 */
export function checkPlans(
  machine: string,
  state: KitState,
  machines: Machines,
  plans: { faults: Faults; stubs: readonly string[]; callbacks: readonly string[] },
): void {
  const tasks = new Map<string, JsonObject>();
  for (const definition of machinesFrom(machine, state, machines).values()) {
    forEachState(definition, (name, s) => {
      if (s.Type === 'Task') tasks.set(name, s);
    });
  }
  for (const stateName of plans.stubs) {
    if (!tasks.has(stateName)) throw new Error(`stubs: ${machine} has no Task state "${stateName}"`);
  }
  for (const [stateName, planned] of Object.entries(plans.faults)) {
    const task = tasks.get(stateName);
    if (!task) throw new Error(`faults: ${machine} has no Task state "${stateName}"`);
    const hangs = Object.values(planned).some((fault) => fault === 'timeout');
    if (hangs && task.TimeoutSeconds === undefined && task.TimeoutSecondsPath === undefined) {
      throw new Error(`faults: ${stateName} has no TimeoutSeconds, so a 'timeout' fault would hang forever`);
    }
  }
  for (const stateName of plans.callbacks) {
    const task = tasks.get(stateName);
    if (typeof task?.Resource !== 'string' || !task.Resource.endsWith('.waitForTaskToken')) {
      throw new Error(`callbacks: ${machine} has no .waitForTaskToken Task state "${stateName}"`);
    }
  }
}
