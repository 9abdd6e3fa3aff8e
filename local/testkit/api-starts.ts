import type { Request } from '../stepfunctions/api-shapes';
import type { Clock } from '../stepfunctions/clock';
import type { ChildExecution, ChildExecutionRequest } from '../stepfunctions/engine';
import { ServiceError } from '../stepfunctions/server';

type Start = (request: ChildExecutionRequest) => ChildExecution;

/**
 * StartExecution as the functions of a workflow test call it (AWS_ENDPOINT_URL_SFN points at the kit): the named
 * machine of statemachines/ runs in the current runWorkflow, on its clock, handlers and faults (requestPickup starts
 * the sandbox carrier's round this way).
 */
export class ApiStarts {
  private current?: { start: Start; clock: Clock; started: ChildExecution[] };

  /** The kit endpoint's StartExecution. */
  readonly startExecution = (request: Request): { executionArn: string; startDate: number } => {
    const current = this.current;
    if (!current) throw new ServiceError('StateMachineDoesNotExist', 'No workflow of the kit is running');
    try {
      const child = current.start({
        stateMachineArn: typeof request.stateMachineArn === 'string' ? request.stateMachineArn : '',
        ...(typeof request.name === 'string' ? { name: request.name } : {}),
        input: typeof request.input === 'string' ? request.input : '{}',
        parentExecutionArn: '',
      });
      current.started.push(child);
      return { executionArn: child.executionArn, startDate: current.clock.now() / 1000 };
    } catch (error) {
      const type = (error as { type?: unknown }).type;
      throw typeof type === 'string' ? new ServiceError(type, (error as Error).message) : error;
    }
  };

  /** From now until `close`, StartExecution runs machines with `start`; returns the list of what it starts. */
  open(start: Start, clock: Clock): readonly ChildExecution[] {
    // One run at a time per test file: a second one would take the first one's starts onto its own clock.
    if (this.current) throw new Error('runWorkflow: another workflow of this test file is still running');
    const started: ChildExecution[] = [];
    this.current = { start, clock, started };
    return started;
  }

  close(): void {
    this.current = undefined;
  }

  /** Resolves once every execution started since `open` has ended. */
  async settled(): Promise<void> {
    await Promise.all((this.current?.started ?? []).map((child) => child.handle.done));
  }
}
