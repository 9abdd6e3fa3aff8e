/**
 * The service's state machines: Create/List/Update/DeleteStateMachine and the lookups of the rest of the service,
 * rewritten to the store (store.ts) after every change when the service keeps its state on disk.
 */
import {
  epoch,
  optionalString,
  paginate,
  requireString,
  ServiceError,
  type Request,
  type StateMachineRecord,
} from './api-shapes';
import { checkName, requireArn, type Arns } from './arns';
import type { Clock } from './clock';
import {
  checkDefinition,
  InvalidDefinitionError,
  parseDefinition,
  UnsupportedDefinitionError,
} from './definition';
import type { ExecutionStore } from './store';

export class StateMachineRegistry {
  private readonly records = new Map<string, StateMachineRecord>();

  constructor(
    private readonly arns: Arns,
    private readonly clock: Clock,
    private readonly store?: ExecutionStore,
  ) {}

  /** Loads the state machines the store kept. */
  restore(): void {
    if (!this.store) return;
    for (const { updateDate, creationDate, ...sm } of this.store.loadStateMachines()) {
      this.records.set(sm.arn, {
        ...sm,
        creationDate: new Date(creationDate),
        ...(updateDate ? { updateDate: new Date(updateDate) } : {}),
      });
    }
  }

  /** The state machine a request names; ValidationException, InvalidArn or StateMachineDoesNotExist if none. */
  get(requested: unknown): StateMachineRecord {
    const arn = requireArn(requested, 'stateMachine');
    const record = this.records.get(arn);
    if (!record) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return record;
  }

  /** The state machine at `arn` if there is one, without the API's checks. */
  find(arn: string): StateMachineRecord | undefined {
    return this.records.get(arn);
  }

  create(request: Request): unknown {
    const name = requireString(request, 'name');
    checkName(name);
    const definition = requireString(request, 'definition');
    const roleArn = requireString(request, 'roleArn');
    validateDefinition(definition);
    const arn = this.arns.stateMachine(name);
    const existing = this.records.get(arn);
    if (existing) {
      if (existing.definition === definition && existing.roleArn === roleArn) {
        return { stateMachineArn: arn, creationDate: epoch(existing.creationDate) };
      }
      throw new ServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const type = typeof request.type === 'string' ? request.type : 'STANDARD';
    const record: StateMachineRecord = {
      name,
      arn,
      definition,
      roleArn,
      type,
      creationDate: new Date(this.clock.now()),
    };
    this.records.set(arn, record);
    this.save();
    return { stateMachineArn: arn, creationDate: epoch(record.creationDate) };
  }

  list(request: Request): unknown {
    const all = [...this.records.values()].map((sm) => ({
      stateMachineArn: sm.arn,
      name: sm.name,
      type: sm.type,
      creationDate: epoch(sm.creationDate),
    }));
    const { page, nextToken } = paginate(all, request);
    return { stateMachines: page, ...(nextToken ? { nextToken } : {}) };
  }

  update(request: Request): unknown {
    const record = this.get(request.stateMachineArn);
    const definition = optionalString(request.definition);
    const roleArn = optionalString(request.roleArn);
    if (definition === undefined && roleArn === undefined) {
      throw new ServiceError(
        'MissingRequiredParameter',
        'Either the definition or the roleArn must be specified',
      );
    }
    if (definition !== undefined) {
      validateDefinition(definition);
      record.definition = definition;
    }
    if (roleArn !== undefined) record.roleArn = roleArn;
    record.updateDate = new Date(this.clock.now());
    this.save();
    return { updateDate: epoch(record.updateDate) };
  }

  delete(request: Request): unknown {
    this.records.delete(this.get(request.stateMachineArn).arn);
    this.save();
    return {};
  }

  private save(): void {
    this.store?.saveStateMachines(
      [...this.records.values()].map(({ updateDate, creationDate, ...sm }) => ({
        ...sm,
        creationDate: creationDate.toISOString(),
        ...(updateDate ? { updateDate: updateDate.toISOString() } : {}),
      })),
    );
  }
}

/** A definition the local engine cannot run is refused at create/update time, as AWS refuses an invalid one. */
function validateDefinition(definition: string): void {
  try {
    checkDefinition(parseDefinition(definition));
  } catch (error) {
    if (error instanceof InvalidDefinitionError || error instanceof UnsupportedDefinitionError) {
      throw new ServiceError('InvalidDefinition', error.message);
    }
    throw error;
  }
}
