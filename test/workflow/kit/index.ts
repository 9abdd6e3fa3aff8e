/** The workflow test kit: run a state machine of statemachines/ with the real handlers, fake time and faults. */
export {
  runWorkflow,
  sendTaskFailure,
  sendTaskHeartbeat,
  sendTaskSuccess,
  type CallbackAnswer,
  type Callbacks,
  type RunOptions,
  type WorkflowResult,
} from './run-workflow';
export type { Fault, Faults, TaskFaults } from './faults';
export type { TaskAttempt, WaitRecord } from './analysis';
export { LambdaFunctionError } from './lambda';
export { VirtualClock, TaskTokenError } from '../../../local/stepfunctions/engine';
