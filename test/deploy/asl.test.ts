import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import {
  cloudFormationDefinition,
  listPlaceholders,
  loadDefinition,
  order,
} from '../../statemachines/load-asl';

interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string;
}
interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
}
interface State {
  Type: string;
  Resource?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
  TimeoutSeconds?: number;
  [field: string]: unknown;
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

const file = readFileSync(join(__dirname, '../../statemachines/order.asl.json'), 'utf8');
const asl = JSON.parse(file) as Definition;
const tasks = Object.entries(asl.States).filter(([, state]) => state.Type === 'Task');
const LAMBDA_TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const FUNCTION_KEYS = ['validateOrder', 'processPayment', 'shipOrder', 'notifyOrderError'];

const state = (name: string): State => {
  const found = asl.States[name];
  if (!found) throw new Error(`No state ${name}`);
  return found;
};

describe('statemachines/order.asl.json', () => {
  it('passes asl-validator as written and with real ARNs in place of the placeholders', () => {
    const resolved = loadDefinition(
      'order',
      (key) => `arn:aws:lambda:us-east-1:123456789012:function:${key}`,
    );

    for (const definition of [structuredClone(asl), resolved]) {
      const result = aslValidator(definition);
      expect(result.errorsText()).toBe('');
      expect(result.isValid).toBe(true);
    }
  });

  it("keeps the seed's state names and starts at ValidateOrder", () => {
    expect(asl.StartAt).toBe('ValidateOrder');
    expect(tasks.map(([name]) => name)).toEqual([
      'ValidateOrder',
      'ProcessPayment',
      'ShipOrder',
      'NotifyOrderError',
    ]);
  });

  it("keeps the seed's ProcessPayment retry exactly (5 s, then 10 s, three attempts)", () => {
    expect(state('ProcessPayment').Retry?.[0]).toEqual({
      ErrorEquals: ['PaymentProcessingError', 'ServiceUnavailable'],
      IntervalSeconds: 5,
      MaxAttempts: 3,
      BackoffRate: 2,
    });
  });

  it.each(tasks)("%s retries Lambda's own transient errors and has a timeout", (_name, task) => {
    const retriers = task.Retry ?? [];
    expect(retriers.some((r) => LAMBDA_TRANSIENT.every((error) => r.ErrorEquals.includes(error)))).toBe(true);
    expect(retriers.flatMap((r) => r.ErrorEquals)).not.toContain('States.ALL');
    expect(task.TimeoutSeconds).toBeGreaterThan(0);
  });

  it.each(['ValidateOrder', 'ShipOrder', 'NotifyOrderError'])(
    '%s (which talks to DynamoDB) retries ServiceUnavailable',
    (name) => {
      expect(state(name).Retry?.some((r) => r.ErrorEquals.includes('ServiceUnavailable'))).toBe(true);
    },
  );

  it.each([
    ['ValidateOrder', 'ValidationError'],
    ['ProcessPayment', 'PaymentFailedError'],
    ['ShipOrder', 'ShippingFailedError'],
  ])('%s catches %s, then States.ALL, into NotifyOrderError with the error at $.error', (name, specific) => {
    expect(state(name).Catch).toEqual([
      { ErrorEquals: [specific], ResultPath: '$.error', Next: 'NotifyOrderError' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyOrderError' },
    ]);
  });

  it('every Catch keeps the order by setting a ResultPath', () => {
    const catchers = Object.values(asl.States).flatMap((s) => s.Catch ?? []);
    expect(catchers.length).toBeGreaterThan(0);
    for (const catcher of catchers) expect(catcher.ResultPath).toMatch(/^\$\.\w+$/);
  });

  it('ends FAILED with the original error even when the notification itself fails', () => {
    expect(state('NotifyOrderError').Next).toBe('OrderFailed');
    expect(state('NotifyOrderError').OutputPath).toBe('$.error');
    expect(state('NotifyOrderError').Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.notificationError', Next: 'NotificationFailed' },
    ]);
    expect(state('NotificationFailed')).toMatchObject({
      Type: 'Pass',
      InputPath: '$.error',
      Next: 'OrderFailed',
    });
    expect(state('OrderFailed')).toMatchObject({ Type: 'Fail', ErrorPath: '$.Error', CausePath: '$.Cause' });
  });

  it('builds each task input of the contract with Parameters', () => {
    expect(state('ValidateOrder').Parameters).toEqual({ 'orderId.$': '$.orderId', 'items.$': '$.items' });
    expect(state('ProcessPayment').Parameters).toEqual({
      'orderId.$': '$.orderId',
      'token.$': '$.payment.token',
      'amount.$': '$.validation.total',
    });
    expect(state('ShipOrder').Parameters).toEqual({
      'orderId.$': '$.orderId',
      'address.$': '$.shippingAddress',
      'lines.$': '$.validation.lines',
    });
    expect(state('NotifyOrderError').Parameters).toEqual({
      'orderId.$': '$.orderId',
      'error.$': '$.error.Error',
      'cause.$': '$.error.Cause',
    });
  });
});

describe('statemachines/load-asl.js', () => {
  it('lists the four function placeholders', () => {
    expect(listPlaceholders('order')).toEqual(FUNCTION_KEYS);
    for (const key of FUNCTION_KEYS) {
      expect(file).toContain(`"\${${key.charAt(0).toUpperCase()}${key.slice(1)}FunctionArn}"`);
    }
  });

  it('replaces every placeholder with what resolveArn returns and leaves no ${ behind', () => {
    const seen: string[] = [];
    const resolved = loadDefinition('order', (key) => {
      seen.push(key);
      return `arn:local:${key}`;
    });

    expect(seen.sort()).toEqual([...FUNCTION_KEYS].sort());
    expect(JSON.stringify(resolved)).not.toContain('${');
    expect((resolved as unknown as Definition).States.ShipOrder?.Resource).toBe('arn:local:shipOrder');
  });

  it('gives serverless.yml Fn::GetAtt of the matching functions, and changes nothing else', () => {
    const definition = order() as unknown as Definition;

    expect(definition.States.ValidateOrder?.Resource).toEqual({
      'Fn::GetAtt': ['ValidateOrderLambdaFunction', 'Arn'],
    });
    expect(definition.States.NotifyOrderError?.Resource).toEqual({
      'Fn::GetAtt': ['NotifyOrderErrorLambdaFunction', 'Arn'],
    });
    const withoutResources = (d: Definition) =>
      Object.fromEntries(Object.entries(d.States).map(([name, s]) => [name, { ...s, Resource: undefined }]));
    expect(withoutResources(definition)).toEqual(withoutResources(asl));
    expect(cloudFormationDefinition('order')).toEqual(definition);
  });
});
