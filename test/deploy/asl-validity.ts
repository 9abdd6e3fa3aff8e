import aslValidator from 'asl-validator';
import { loadDefinition } from '../../statemachines/load-asl';

/** Asserts that statemachines/<name>.asl.json passes asl-validator as written and with real ARNs and table names. */
export function expectValidAsl(name: string, asWritten: object): void {
  const resolved = loadDefinition(name, (key, kind) => {
    if (kind === 'table') return `order-processing-dev-${key}`;
    return kind === 'stateMachine'
      ? `arn:aws:states:us-east-1:123456789012:stateMachine:${key}`
      : `arn:aws:lambda:us-east-1:123456789012:function:${key}`;
  });
  for (const definition of [structuredClone(asWritten), resolved]) {
    const result = aslValidator(definition);
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  }
}
