/** Types for load-asl.js (CommonJS, so serverless.yml can require it without a TypeScript loader). */

/** An ASL document (JSON). */
export type AslDefinition = Record<string, unknown>;

/**
 * What a placeholder names: a function of serverless.yml, another state machine (by its ASL file name), or a table
 * (by its custom.tables key).
 */
export type PlaceholderKind = 'function' | 'stateMachine' | 'table';

/** A CloudFormation reference to a function's ARN. */
export interface GetAttArn {
  'Fn::GetAtt': [string, 'Arn'];
}

/** serverless.yml's `${file(statemachines/load-asl.js):order}`: the order workflow as deployed. */
export function order(): AslDefinition;

/** serverless.yml's `${file(statemachines/load-asl.js):fulfilment}`: the fulfilment workflow as deployed. */
export function fulfilment(): AslDefinition;

/**
 * The ASL of statemachines/<name>.asl.json, each `${XxxFunctionArn}` replaced by `resolveArn('xxx', 'function')` and
 * each `${XxxStateMachineArn}` by `resolveArn('xxx', 'stateMachine')`, each `${XxxTableName}` by
 * `resolveArn('xxx', 'table')`.
 */
export function loadDefinition(
  name: string,
  resolveArn: (key: string, kind: PlaceholderKind) => unknown,
): AslDefinition;

/** The function keys (e.g. `validateOrder`) whose ARN placeholders occur in statemachines/<name>.asl.json. */
export function listPlaceholders(name: string): string[];

/** The state machines (e.g. `fulfilment`) whose ARN placeholders occur in statemachines/<name>.asl.json. */
export function listStateMachinePlaceholders(name: string): string[];

/** The function key a placeholder names (`${ShipOrderFunctionArn}` -> `shipOrder`), else undefined. */
export function functionKeyOf(value: unknown): string | undefined;

/** The state machine a placeholder names (`${FulfilmentStateMachineArn}` -> `fulfilment`), else undefined. */
export function stateMachineKeyOf(value: unknown): string | undefined;

/** The CloudFormation logical id serverless gives a function key (validateOrder -> ValidateOrderLambdaFunction). */
export function lambdaLogicalId(functionKey: string): string;

/** The CloudFormation logical id of a state machine (fulfilment -> FulfilmentWorkflowStateMachine). */
export function stateMachineLogicalId(machine: string): string;

/** The table a placeholder names (`${OrdersTableName}` -> `orders`), else undefined. */
export function tableKeyOf(value: unknown): string | undefined;

/** The CloudFormation logical id of a table (orders -> OrdersTable). */
export function tableLogicalId(table: string): string;

/** The definition as deployed: Fn::GetAtt of `<Key>LambdaFunction`, Ref of `<Machine>WorkflowStateMachine`. */
export function cloudFormationDefinition(name: string): AslDefinition;
