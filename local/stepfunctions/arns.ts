/**
 * Names and ARNs as the Step Functions API builds and checks them: the errors here (InvalidName, InvalidArn, a
 * missing ARN) are the ones AWS answers before it looks anything up.
 */
import { ServiceError } from './api-shapes';

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export type ArnKind = 'stateMachine' | 'execution';

/** The ARNs of one region and account, where this service keeps its state machines and executions. */
export interface Arns {
  stateMachine(name: string): string;
  execution(stateMachineName: string, name: string): string;
}

export function arnsIn(region: string, account: string): Arns {
  return {
    stateMachine: (name) => `arn:aws:states:${region}:${account}:stateMachine:${name}`,
    execution: (stateMachineName, name) =>
      `arn:aws:states:${region}:${account}:execution:${stateMachineName}:${name}`,
  };
}

/** A state machine's or execution's name: 1 to 80 letters, digits, `_` or `-`. */
export function checkName(name: string): void {
  if (!NAME.test(name)) throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
}

/** The request's `stateMachineArn` or `executionArn`: present, and an ARN of that kind. */
export function requireArn(arn: unknown, kind: ArnKind): string {
  if (typeof arn !== 'string')
    throw new ServiceError(
      'ValidationException',
      `Value null at '${kind}Arn' failed to satisfy constraint: Member must not be null`,
    );
  checkArn(arn, kind);
  return arn;
}

export function checkArn(arn: string, kind: ArnKind): void {
  const parts = arn.split(':');
  const valid =
    parts[0] === 'arn' &&
    parts[2] === 'states' &&
    parts[5] === kind &&
    parts.length === (kind === 'stateMachine' ? 7 : 8);
  if (!valid)
    throw new ServiceError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}
