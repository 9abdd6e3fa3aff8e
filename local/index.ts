/**
 * The local cloud and its workflow test kit, as user code (test/, scripts/) sees them: this entry and the jest files
 * of testkit/ (transform, global-setup, global-teardown, setup-file) are the whole public API; the rest of local/ is
 * its inside (a lint rule keeps it so). README.md beside this file shows how the pieces fit.
 */

// A local cloud from serverless.yml: DynamoDB Local, the Lambda service behind the HTTP API, Step Functions.
export {
  LOCAL_ACCOUNT_ID,
  LOCAL_DATA_DIR,
  startLocalCloud,
  type LocalCloud,
  type LocalCloudOptions,
} from './cloud';
export {
  LOCAL_STAGE,
  localFunctionArn,
  localStateMachineArn,
  printCacheDir,
  readServiceConfig,
  tableName,
  type ServiceConfig,
} from './serverless-config';
export { freePorts, portsFromEnv, type PortName, type Ports } from './ports';
export { concurrencyLimitsFromEnv } from './lambda';
export { stopProcessGroup } from './processes';
export {
  DEFAULT_AUTH_DIR,
  loadOrCreateLocalIssuer,
  loadOrCreateLocalSecret,
  type LocalIssuer,
} from './auth/local-issuer';

// Workflow tests: a machine of statemachines/ with the real handlers in process, faults and callbacks on fake time,
// and the ASL coverage every run adds to (the global teardown gates it at 100 %).
export * from './testkit';

// The engine the cloud and the kit share, for tools that run an ASL with their own Task invoker (the bench).
export {
  realClock,
  startExecution,
  TaskTokens,
  type ChildExecution,
  type ChildExecutionRequest,
  type InvokeTask,
  type Json,
  type TaskContext,
  type WaitingTaskInfo,
} from './stepfunctions/engine';
export { checkDefinition, type JsonObject } from './stepfunctions/definition';
