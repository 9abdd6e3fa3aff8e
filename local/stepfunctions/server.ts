/**
 * A local AWS Step Functions endpoint: the AWS JSON 1.0 protocol (POST /, X-Amz-Target
 * AWSStepFunctions.<Action>) over node:http, so the AWS CLI and SDK v3 SFNClient work unchanged with
 * `--endpoint-url`. State machines and executions live in memory; executions run on engine.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveConsole } from '../console/assets';
import { LOCAL_ACCOUNT_ID } from '../serverless-config';
import { realClock, type Clock } from './clock';
import {
  checkDefinition,
  InvalidDefinitionError,
  parseDefinition,
  UnsupportedDefinitionError,
  type Json,
} from './definition';
import {
  startExecution,
  type ChildExecution,
  type ChildExecutionRequest,
  type ExecutionStatus,
  type HistoryEvent,
  type InvokeTask,
} from './engine';
import {
  describeExecution,
  describeStateMachine,
  epoch,
  optionalString,
  paginate,
  requireString,
  serializeEvent,
  ServiceError,
  type ExecutionRecord,
  type Request,
  type StateMachineRecord,
} from './api-shapes';
import { TaskTokenError, TaskTokens } from './task-tokens';
import { findResumePoint, type ResumePoint } from './resume';
import { endedRecord as endedHandle, isEnded } from './stored-execution';
import { ExecutionStore, type StoredExecution, type StoredExecutionStart } from './store';

export interface StepFunctionsServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  region?: string;
  accountId?: string;
  /** Factor on Wait and Retry times (1 = AWS timing); ignored when `clock` is given. */
  timeScale?: number;
  clock?: Clock;
  /** Runs Task states; without it they fail with States.TaskFailed. */
  invokeTask?: InvokeTask;
  /** One line per state transition, retry and execution end. */
  log?: (line: string) => void;
  /** Task tokens answered by SendTask*; default: the service's own. */
  taskTokens?: TaskTokens;
  /**
   * Keeps state machines and executions on disk here: a restart resumes the executions that were running (see
   * resume.ts). In memory when absent.
   */
  dataDir?: string;
}

export { ServiceError } from './api-shapes';

export interface StepFunctionsServer {
  url: string;
  port: number;
  /** The task tokens of this service's `.waitForTaskToken` Tasks (what SendTask* answers). */
  taskTokens: TaskTokens;
  stop(): Promise<void>;
}

/** Starts the service; resolves once it listens. */
export async function startStepFunctionsServer(
  options: StepFunctionsServerOptions,
): Promise<StepFunctionsServer> {
  const service = new StepFunctionsService(options);
  service.restore();
  const server = createServer((req, res) => void handle(service, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://localhost:${port}`,
    taskTokens: service.tokens,
    stop: async () => {
      service.stopAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  service: StepFunctionsService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // GET and HEAD are the local console's (local/console/); the AWS API is POST.
  if (await serveConsole(req, res)) return;
  const send = (status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': crypto.randomUUID(),
    });
    res.end(JSON.stringify(body));
  };
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = req.headers['x-amz-target'];
    const action =
      typeof target === 'string' && target.startsWith('AWSStepFunctions.') ? target.slice(17) : '';
    if (req.method !== 'POST' || action === '')
      throw new ServiceError(
        'UnknownOperationException',
        'Expected POST with X-Amz-Target AWSStepFunctions.<Action>',
      );
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new ServiceError('SerializationException', 'The request body is not valid JSON');
      }
    }
    send(200, service.dispatch(action, (body ?? {}) as Request));
  } catch (error) {
    if (error instanceof ServiceError) send(error.status, { __type: error.type, message: error.message });
    else
      send(500, {
        __type: 'InternalFailure',
        message: error instanceof Error ? error.message : String(error),
      });
  }
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

class StepFunctionsService {
  private readonly stateMachines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly region: string;
  private readonly account: string;
  private readonly clock: Clock;
  private readonly store?: ExecutionStore;
  readonly tokens: TaskTokens;

  constructor(private readonly options: StepFunctionsServerOptions) {
    this.region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
    this.account = options.accountId ?? process.env.SFN_ACCOUNT_ID ?? LOCAL_ACCOUNT_ID;
    this.clock = options.clock ?? realClock(options.timeScale ?? 1);
    this.tokens = options.taskTokens ?? new TaskTokens();
    if (options.dataDir) this.store = new ExecutionStore(options.dataDir);
  }

  /**
   * Loads what the store kept: state machines, ended executions as they ended, and running ones resumed —
   * newest first, so a child is back before the parent whose `.sync` Task waits for it looks for it.
   */
  restore(): void {
    if (!this.store) return;
    for (const { updateDate, creationDate, ...sm } of this.store.loadStateMachines()) {
      this.stateMachines.set(sm.arn, {
        ...sm,
        creationDate: new Date(creationDate),
        ...(updateDate ? { updateDate: new Date(updateDate) } : {}),
      });
    }
    const stored = this.store.loadExecutions();
    const running: StoredExecution[] = [];
    for (const execution of stored) {
      if (isEnded(execution.events)) this.executions.set(execution.arn, endedRecord(execution));
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
    const byStart = [...this.executions.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    this.executions.clear();
    for (const record of byStart) this.executions.set(record.arn, record);
  }

  dispatch(action: string, request: Request): unknown {
    switch (action) {
      case 'CreateStateMachine':
        return this.createStateMachine(request);
      case 'DescribeStateMachine':
        return describeStateMachine(this.stateMachine(request.stateMachineArn));
      case 'ListStateMachines':
        return this.listStateMachines(request);
      case 'UpdateStateMachine':
        return this.updateStateMachine(request);
      case 'DeleteStateMachine':
        this.stateMachines.delete(this.stateMachine(request.stateMachineArn).arn);
        this.saveStateMachines();
        return {};
      case 'StartExecution':
        return this.startExecution(request);
      case 'DescribeExecution':
        return describeExecution(this.execution(request.executionArn));
      case 'ListExecutions':
        return this.listExecutions(request);
      case 'GetExecutionHistory':
        return this.history(request);
      case 'SendTaskSuccess':
        return this.answerTask(() => {
          requireString(request, 'taskToken');
          if (typeof request.output !== 'string') requireString(request, 'output');
          this.tokens.sendTaskSuccess(request.taskToken, request.output);
        });
      case 'SendTaskFailure':
        return this.answerTask(() =>
          this.tokens.sendTaskFailure(
            requireString(request, 'taskToken'),
            optionalString(request.error),
            optionalString(request.cause),
          ),
        );
      case 'SendTaskHeartbeat':
        return this.answerTask(() => this.tokens.sendTaskHeartbeat(requireString(request, 'taskToken')));
      case 'StopExecution': {
        const execution = this.execution(request.executionArn);
        execution.handle.stop(optionalString(request.error), optionalString(request.cause));
        return { stopDate: epoch(execution.handle.stopDate ?? new Date(this.clock.now())) };
      }
      default:
        throw new ServiceError(
          'UnknownOperationException',
          `The action ${action} is not implemented by the local Step Functions service`,
        );
    }
  }

  /** With a store, running executions are suspended (resumed at the next start); without, they are aborted. */
  stopAll(): void {
    for (const execution of this.executions.values()) {
      if (this.store) execution.handle.suspend();
      else execution.handle.stop('States.Aborted', 'The local Step Functions service stopped');
    }
  }

  private saveStateMachines(): void {
    this.store?.saveStateMachines(
      [...this.stateMachines.values()].map(({ updateDate, creationDate, ...sm }) => ({
        ...sm,
        creationDate: creationDate.toISOString(),
        ...(updateDate ? { updateDate: updateDate.toISOString() } : {}),
      })),
    );
  }

  private createStateMachine(request: Request): unknown {
    const name = requireString(request, 'name');
    if (!NAME.test(name)) throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
    const definition = requireString(request, 'definition');
    const roleArn = requireString(request, 'roleArn');
    validateDefinition(definition);
    const arn = `arn:aws:states:${this.region}:${this.account}:stateMachine:${name}`;
    const existing = this.stateMachines.get(arn);
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
    this.stateMachines.set(arn, record);
    this.saveStateMachines();
    return { stateMachineArn: arn, creationDate: epoch(record.creationDate) };
  }

  private listStateMachines(request: Request): unknown {
    const all = [...this.stateMachines.values()].map((sm) => ({
      stateMachineArn: sm.arn,
      name: sm.name,
      type: sm.type,
      creationDate: epoch(sm.creationDate),
    }));
    const { page, nextToken } = paginate(all, request);
    return { stateMachines: page, ...(nextToken ? { nextToken } : {}) };
  }

  private updateStateMachine(request: Request): unknown {
    const record = this.stateMachine(request.stateMachineArn);
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
    this.saveStateMachines();
    return { updateDate: epoch(record.updateDate) };
  }

  /** SendTask*: an empty response, or AWS's error (InvalidToken, TaskDoesNotExist, TaskTimedOut, InvalidOutput). */
  private answerTask(send: () => void): unknown {
    try {
      send();
    } catch (error) {
      if (error instanceof TaskTokenError) throw new ServiceError(error.type, error.message);
      throw error;
    }
    return {};
  }

  private startExecution(request: Request): unknown {
    const { arn, handle } = this.start(request);
    return { executionArn: arn, startDate: epoch(handle.startDate) };
  }

  /** A `states:startExecution` Task's StartExecution call: the child runs, and is listed, in this service. */
  private startChild(request: ChildExecutionRequest): ChildExecution {
    const existing = request.attachExisting ? this.childNamed(request) : undefined;
    const record =
      existing ??
      this.start({
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
    const machine = this.stateMachines.get(request.stateMachineArn);
    if (!machine || request.name === undefined) return undefined;
    const record = this.executions.get(
      `arn:aws:states:${this.region}:${this.account}:execution:${machine.name}:${request.name}`,
    );
    return record?.input === request.input ? record : undefined;
  }

  private start(request: Request): ExecutionRecord {
    const stateMachine = this.stateMachine(request.stateMachineArn);
    const name = optionalString(request.name) ?? crypto.randomUUID();
    if (!NAME.test(name)) throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
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
    const arn = `arn:aws:states:${this.region}:${this.account}:execution:${stateMachine.name}:${name}`;
    const existing = this.executions.get(arn);
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
      startDate: new Date(this.clock.now()).toISOString(),
    };
    this.store?.begin(execution);
    return this.run(execution, input);
  }

  /** Runs (or, with `resume`, goes on with) an execution and registers it. */
  private run(execution: StoredExecutionStart, input: Json, resume?: ResumePoint): ExecutionRecord {
    const { arn, name, stateMachineArn, definition, roleArn } = execution;
    const machineName = stateMachineArn.split(':').pop() ?? '';
    const log = this.options.log;
    const store = this.store;
    const handle = startExecution({
      definition,
      input,
      executionArn: arn,
      stateMachineArn,
      name,
      roleArn,
      invokeTask: this.options.invokeTask,
      clock: this.clock,
      taskTokens: this.tokens,
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
    this.executions.set(arn, record);
    return record;
  }

  private listExecutions(request: Request): unknown {
    const stateMachineArn = requireString(request, 'stateMachineArn');
    this.checkArn(stateMachineArn, 'stateMachine');
    if (!this.stateMachines.has(stateMachineArn)) {
      throw new ServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    const filter = optionalString(request.statusFilter) as ExecutionStatus | undefined;
    const matching = [...this.executions.values()]
      .filter(
        (e) => e.stateMachineArn === stateMachineArn && (filter === undefined || e.handle.status === filter),
      )
      .reverse()
      .map((e) => ({
        executionArn: e.arn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.handle.status,
        startDate: epoch(e.handle.startDate),
        ...(e.handle.stopDate ? { stopDate: epoch(e.handle.stopDate) } : {}),
      }));
    const { page, nextToken } = paginate(matching, request);
    return { executions: page, ...(nextToken ? { nextToken } : {}) };
  }

  private history(request: Request): unknown {
    const execution = this.execution(request.executionArn);
    const includeData = request.includeExecutionData !== false;
    let events: HistoryEvent[] = execution.handle.events.map((event) => serializeEvent(event, includeData));
    if (request.reverseOrder === true) events = events.reverse();
    const { page, nextToken } = paginate(events, request);
    return { events: page, ...(nextToken ? { nextToken } : {}) };
  }

  private stateMachine(arn: unknown): StateMachineRecord {
    if (typeof arn !== 'string')
      throw new ServiceError(
        'ValidationException',
        "Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
      );
    this.checkArn(arn, 'stateMachine');
    const record = this.stateMachines.get(arn);
    if (!record) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return record;
  }

  private execution(arn: unknown): ExecutionRecord {
    if (typeof arn !== 'string')
      throw new ServiceError(
        'ValidationException',
        "Value null at 'executionArn' failed to satisfy constraint: Member must not be null",
      );
    this.checkArn(arn, 'execution');
    const record = this.executions.get(arn);
    if (!record) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private checkArn(arn: string, kind: 'stateMachine' | 'execution'): void {
    const parts = arn.split(':');
    const valid =
      parts[0] === 'arn' &&
      parts[2] === 'states' &&
      parts[5] === kind &&
      parts.length === (kind === 'stateMachine' ? 7 : 8);
    if (!valid)
      throw new ServiceError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  }
}

/** An execution that had ended before the restart, served from its stored history. */
function endedRecord(execution: StoredExecution): ExecutionRecord {
  return { ...execution, startedAt: execution.startDate, handle: endedHandle(execution) };
}

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
