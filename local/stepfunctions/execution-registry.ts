/**
 * The service's executions: StartExecution (and the `states:startExecution` Tasks' children), StopExecution,
 * ListExecutions and GetExecutionHistory, each run on engine.ts and, with a store, recorded event by event so a
 * restart finds the ended ones as they ended and resumes the running ones.
 */
import {
  epoch,
  optionalString,
  paginate,
  requireString,
  serializeEvent,
  ServiceError,
  type ExecutionRecord,
  type Request,
} from './api-shapes';
import { checkArn, checkName, requireArn, type Arns } from './arns';
import type { Clock } from './clock';
import { parseDefinition, type Json } from './definition';
import {
  startExecution,
  type ChildExecution,
  type ChildExecutionRequest,
  type ExecutionStatus,
  type HistoryEvent,
  type InvokeTask,
} from './engine';
import { findResumePoint, type ResumePoint } from './resume';
import type { StateMachineRegistry } from './state-machine-registry';
import { endedRecord as endedHandle, isEnded } from './stored-execution';
import type { ExecutionStore, StoredExecution, StoredExecutionStart } from './store';
import type { TaskTokens } from './task-tokens';

/** What the executions share with the rest of the service. */
export interface ExecutionRegistryOptions {
  arns: Arns;
  stateMachines: StateMachineRegistry;
  clock: Clock;
  tokens: TaskTokens;
  store?: ExecutionStore;
  invokeTask?: InvokeTask;
  log?: (line: string) => void;
}

export class ExecutionRegistry {
  /** In order of start: listings read it backwards (newest first). */
  private readonly records = new Map<string, ExecutionRecord>();

  constructor(private readonly options: ExecutionRegistryOptions) {}

  /**
   * Loads the executions the store kept: ended ones as they ended, and running ones resumed — newest first, so a
   * child is back before the parent whose `.sync` Task waits for it looks for it.
   */
  restore(): void {
    const { store } = this.options;
    if (!store) return;
    const running: StoredExecution[] = [];
    for (const execution of store.loadExecutions()) {
      if (isEnded(execution.events)) this.records.set(execution.arn, endedRecord(execution));
      else running.push(execution);
    }
    for (const execution of running.reverse()) {
      const resume = findResumePoint(
        parseDefinition(execution.definition),
        execution.events,
        execution.arn,
        JSON.parse(execution.input) as Json,
      );
      if (!resume) continue;
      this.options.log?.(`resuming ${execution.name} at ${resume.stateName} after the restart`);
      this.run(execution, JSON.parse(execution.input) as Json, {
        ...resume,
        startDate: new Date(execution.startDate),
      });
    }
    // Executions keep their order of start in listings (newest first there).
    const byStart = [...this.records.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    this.records.clear();
    for (const record of byStart) this.records.set(record.arn, record);
  }

  /** The execution a request names; ValidationException, InvalidArn or ExecutionDoesNotExist if none. */
  get(requested: unknown): ExecutionRecord {
    const arn = requireArn(requested, 'execution');
    const record = this.records.get(arn);
    if (!record) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  start(request: Request): unknown {
    const { arn, handle } = this.startRecord(request);
    return { executionArn: arn, startDate: epoch(handle.startDate) };
  }

  stop(request: Request): unknown {
    const execution = this.get(request.executionArn);
    execution.handle.stop(optionalString(request.error), optionalString(request.cause));
    return { stopDate: epoch(execution.handle.stopDate ?? new Date(this.options.clock.now())) };
  }

  /** With a store, running executions are suspended (resumed at the next start); without, they are aborted. */
  stopAll(): void {
    for (const execution of this.records.values()) {
      if (this.options.store) execution.handle.suspend();
      else execution.handle.stop('States.Aborted', 'The local Step Functions service stopped');
    }
  }

  list(request: Request): unknown {
    const stateMachineArn = requireString(request, 'stateMachineArn');
    checkArn(stateMachineArn, 'stateMachine');
    if (!this.options.stateMachines.find(stateMachineArn)) {
      throw new ServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    const filter = optionalString(request.statusFilter) as ExecutionStatus | undefined;
    const matching = [...this.records.values()]
      .filter(
        (e) => e.stateMachineArn === stateMachineArn && (filter === undefined || e.handle.status === filter),
      )
      .reverse();
    // The page only is described: a poll for one running execution reads one, not every execution kept.
    const { page, nextToken } = paginate(matching, request);
    const executions = page.map((e) => ({
      executionArn: e.arn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.handle.status,
      startDate: epoch(e.handle.startDate),
      ...(e.handle.stopDate ? { stopDate: epoch(e.handle.stopDate) } : {}),
    }));
    return { executions, ...(nextToken ? { nextToken } : {}) };
  }

  history(request: Request): unknown {
    const execution = this.get(request.executionArn);
    const includeData = request.includeExecutionData !== false;
    let events: HistoryEvent[] = execution.handle.events.map((event) => serializeEvent(event, includeData));
    if (request.reverseOrder === true) events = events.reverse();
    const { page, nextToken } = paginate(events, request);
    return { events: page, ...(nextToken ? { nextToken } : {}) };
  }

  /** A `states:startExecution` Task's StartExecution call: the child runs, and is listed, in this service. */
  private startChild(request: ChildExecutionRequest): ChildExecution {
    const existing = request.attachExisting ? this.childNamed(request) : undefined;
    const record =
      existing ??
      this.startRecord({
        stateMachineArn: request.stateMachineArn,
        input: request.input,
        ...(request.name === undefined ? {} : { name: request.name }),
      });
    return {
      executionArn: record.arn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      input: record.input,
      handle: record.handle,
    };
  }

  /** The child a resumed `.sync` Task started before the restart (same machine, name and input), if any. */
  private childNamed(request: ChildExecutionRequest): ExecutionRecord | undefined {
    const machine = this.options.stateMachines.find(request.stateMachineArn);
    if (!machine || request.name === undefined) return undefined;
    const record = this.records.get(this.options.arns.execution(machine.name, request.name));
    return record?.input === request.input ? record : undefined;
  }

  /** StartExecution's checks, then the start (recorded first when there is a store). */
  private startRecord(request: Request): ExecutionRecord {
    const stateMachine = this.options.stateMachines.get(request.stateMachineArn);
    const name = optionalString(request.name) ?? crypto.randomUUID();
    checkName(name);
    const inputText = optionalString(request.input) ?? '{}';
    let input: Json;
    try {
      input = JSON.parse(inputText) as Json;
    } catch {
      throw new ServiceError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: 'Unexpected input: ${inputText.slice(0, 100)}'`,
      );
    }
    const arn = this.options.arns.execution(stateMachine.name, name);
    const existing = this.records.get(arn);
    if (existing) {
      // As on AWS: the same name and input while still running returns that execution; anything else is a conflict.
      if (existing.input === inputText && existing.handle.status === 'RUNNING') return existing;
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution: StoredExecutionStart = {
      arn,
      name,
      stateMachineArn: stateMachine.arn,
      definition: stateMachine.definition,
      roleArn: stateMachine.roleArn,
      input: inputText,
      startDate: new Date(this.options.clock.now()).toISOString(),
    };
    this.options.store?.begin(execution);
    return this.run(execution, input);
  }

  /** Runs (or, with `resume`, goes on with) an execution and registers it. */
  private run(execution: StoredExecutionStart, input: Json, resume?: ResumePoint): ExecutionRecord {
    const { arn, name, stateMachineArn, definition, roleArn } = execution;
    const machineName = stateMachineArn.split(':').pop() ?? '';
    const { log, store } = this.options;
    const handle = startExecution({
      definition,
      input,
      executionArn: arn,
      stateMachineArn,
      name,
      roleArn,
      invokeTask: this.options.invokeTask,
      clock: this.options.clock,
      taskTokens: this.options.tokens,
      startChildExecution: (child) => this.startChild(child),
      ...(store ? { onEvent: (event: HistoryEvent) => store.append(arn, event) } : {}),
      startDate: new Date(execution.startDate),
      ...(resume ? { resume } : {}),
      ...(log ? { log: (line: string) => log(`${machineName} ${line}`) } : {}),
    });
    const record: ExecutionRecord = {
      arn,
      name,
      stateMachineArn,
      definition,
      input: execution.input,
      startedAt: execution.startDate,
      handle,
    };
    this.records.set(arn, record);
    return record;
  }
}

/** An execution that had ended before the restart, served from its stored history. */
function endedRecord(execution: StoredExecution): ExecutionRecord {
  return { ...execution, startedAt: execution.startDate, handle: endedHandle(execution) };
}
