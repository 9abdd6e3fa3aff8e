/** Types for load-asl.js (CommonJS, so serverless.yml can require it without a TypeScript loader). */

/** An ASL document (JSON). */
export type AslDefinition = Record<string, unknown>;

/** A CloudFormation reference to a function's ARN. */
export interface GetAttArn {
  'Fn::GetAtt': [string, 'Arn'];
}

/** serverless.yml's `${file(statemachines/load-asl.js):order}`: the order workflow with Fn::GetAtt ARNs. */
export function order(): AslDefinition;

/** The ASL of statemachines/<name>.asl.json, each `${XxxFunctionArn}` replaced by `resolveArn('xxx')`. */
export function loadDefinition(name: string, resolveArn: (functionKey: string) => unknown): AslDefinition;

/** The function keys (e.g. `validateOrder`) whose ARN placeholders occur in statemachines/<name>.asl.json. */
export function listPlaceholders(name: string): string[];

/** The function key a placeholder names (`${ShipOrderFunctionArn}` -> `shipOrder`), else undefined. */
export function functionKeyOf(value: unknown): string | undefined;

/** The CloudFormation logical id serverless gives a function key (validateOrder -> ValidateOrderLambdaFunction). */
export function lambdaLogicalId(functionKey: string): string;

/** The definition as deployed: placeholders replaced by Fn::GetAtt of `<Key>LambdaFunction`. */
export function cloudFormationDefinition(name: string): AslDefinition;
