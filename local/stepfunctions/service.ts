/**
 * The local Step Functions service behind the HTTP layer (server.ts): one AWS JSON-protocol action in, its answer
 * (or a ServiceError) out. State machines and executions are kept by their registries; this module wires them and
 * the task tokens that SendTask* answers.
 */
import { LOCAL_ACCOUNT_ID } from '../serverless-config';
import {
  describeExecution,
  describeStateMachine,
  optionalString,
  requireString,
  ServiceError,
  type Request,
} from './api-shapes';
import { arnsIn } from './arns';
import { realClock, type Clock } from './clock';
import type { InvokeTask } from './engine';
import { ExecutionRegistry } from './execution-registry';
import { StateMachineRegistry } from './state-machine-registry';
import { ExecutionStore } from './store';
import { TaskTokenError, TaskTokens } from './task-tokens';

export interface StepFunctionsServiceOptions {
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
  /**
   * Answers StartExecution in place of this service's own registry: the workflow test kit runs the machines of
   * statemachines/ that a function starts on its own clock (local/testkit/run-workflow.ts).
   */
  startExecution?: (request: Request) => unknown;
}

export class StepFunctionsService {
  readonly tokens: TaskTokens;
  private readonly stateMachines: StateMachineRegistry;
  private readonly executions: ExecutionRegistry;
  private readonly startExecution?: (request: Request) => unknown;

  constructor(options: StepFunctionsServiceOptions) {
    const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
    const account = options.accountId ?? process.env.SFN_ACCOUNT_ID ?? LOCAL_ACCOUNT_ID;
    const arns = arnsIn(region, account);
    const clock = options.clock ?? realClock(options.timeScale ?? 1);
    this.tokens = options.taskTokens ?? new TaskTokens();
    this.startExecution = options.startExecution;
    const store = options.dataDir ? new ExecutionStore(options.dataDir) : undefined;
    this.stateMachines = new StateMachineRegistry(arns, clock, store);
    this.executions = new ExecutionRegistry({
      arns,
      stateMachines: this.stateMachines,
      clock,
      tokens: this.tokens,
      store,
      invokeTask: options.invokeTask,
      log: options.log,
    });
  }

  /** Loads what the store kept: the state machines first, then the executions that run on them. */
  restore(): void {
    this.stateMachines.restore();
    this.executions.restore();
  }

  dispatch(action: string, request: Request): unknown {
    switch (action) {
      case 'CreateStateMachine':
        return this.stateMachines.create(request);
      case 'DescribeStateMachine':
        return describeStateMachine(this.stateMachines.get(request.stateMachineArn));
      case 'ListStateMachines':
        return this.stateMachines.list(request);
      case 'UpdateStateMachine':
        return this.stateMachines.update(request);
      case 'DeleteStateMachine':
        return this.stateMachines.delete(request);
      case 'StartExecution':
        return this.startExecution ? this.startExecution(request) : this.executions.start(request);
      case 'DescribeExecution':
        return describeExecution(this.executions.get(request.executionArn));
      case 'ListExecutions':
        return this.executions.list(request);
      case 'GetExecutionHistory':
        return this.executions.history(request);
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
      case 'StopExecution':
        return this.executions.stop(request);
      default:
        throw new ServiceError(
          'UnknownOperationException',
          `The action ${action} is not implemented by the local Step Functions service`,
        );
    }
  }

  /** With a store, running executions are suspended (resumed at the next start); without, they are aborted. */
  stopAll(): void {
    this.executions.stopAll();
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
}
