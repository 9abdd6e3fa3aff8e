/** The workflow test kit: run a state machine of statemachines/ with the real handlers, fake time and faults. */
export {
  closeKit,
  executionsStartedByFunctions,
  invokeFunction,
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
export {
  ASL_COVERAGE_REPORT,
  formatCoverage,
  type AslCoverageReport,
  type MachineCoverage,
} from './coverage';
export { LambdaFunctionError } from './lambda';
export { kitState, kitStateOf, useKitState, type KitState } from './state';
export { VirtualClock, TaskTokenError, type Json } from '../stepfunctions/engine';
export type { JsonObject } from '../stepfunctions/definition';
