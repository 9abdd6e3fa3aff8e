/** The workflow test kit: run a state machine of statemachines/ with the real handlers, fake time and faults. */
export { runWorkflow, type RunOptions, type WorkflowResult } from './run-workflow';
export type { Fault, Faults, TaskFaults } from './faults';
export type { TaskAttempt, WaitRecord } from './analysis';
export { LambdaFunctionError } from './lambda';
export { VirtualClock } from '../../../local/stepfunctions/engine';
