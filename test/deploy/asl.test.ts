import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cloudFormationDefinition,
  fulfilment,
  listPlaceholders,
  listStateMachinePlaceholders,
  loadDefinition,
  order,
  stateMachineKeyOf,
} from '../../statemachines/load-asl';
import { expectValidAsl } from './asl-validity';

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
  Parameters?: Record<string, unknown>;
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
const fulfilmentFile = readFileSync(join(__dirname, '../../statemachines/fulfilment.asl.json'), 'utf8');
const child = JSON.parse(fulfilmentFile) as Definition;
const tasks = Object.entries(asl.States).filter(([, state]) => state.Type === 'Task');
const lambdaTasks = tasks.filter(([, state]) => state.Resource?.endsWith('FunctionArn}'));
/** Every Task of the fulfilment machine, inside the Map and Parallel too. */
function allStates(definition: Definition): [string, State][] {
  return Object.entries(definition.States).flatMap(([name, state]): [string, State][] => {
    const nested = [
      ...((state.Branches as Definition[] | undefined) ?? []),
      ...(state.ItemProcessor ? [state.ItemProcessor as Definition] : []),
    ];
    return [[name, state], ...nested.flatMap(allStates)];
  });
}
const childTasks = allStates(child).filter(([, state]) => state.Type === 'Task');
const LAMBDA_TRANSIENT = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const FUNCTION_KEYS = [
  'validateOrder',
  'processPayment',
  'refundPayment',
  'releaseStock',
  'notifyOrderError',
];

const state = (name: string): State => {
  const found = asl.States[name];
  if (!found) throw new Error(`No state ${name}`);
  return found;
};

describe('statemachines/order.asl.json', () => {
  it('passes asl-validator as written and with real ARNs in place of the placeholders', () => {
    expectValidAsl('order', asl);
  });

  it("keeps the seed's state names and starts at ValidateOrder", () => {
    expect(asl.StartAt).toBe('ValidateOrder');
    expect(tasks.map(([name]) => name)).toEqual([
      'ValidateOrder',
      'ProcessPayment',
      'ShipOrder',
      'RecordShipment',
      'RefundPayment',
      'ReleaseStock',
      'NotifyOrderError',
      'MarkOrderFailed',
    ]);
    expect(state('ValidateOrder').Next).toBe('ProcessPayment');
    expect(state('ProcessPayment').Next).toBe('ShipOrder');
  });

  it('ships by running the fulfilment workflow as a child (.sync:2) named after the order', () => {
    expect(state('ShipOrder')).toMatchObject({
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: {
        StateMachineArn: '${FulfilmentStateMachineArn}',
        'Name.$': '$.orderId',
        // Nothing personal: no address, no customer (the child's tasks read them from the order).
        Input: {
          'orderId.$': '$.orderId',
          'lines.$': '$.validation.lines',
          'total.$': '$.validation.total',
          'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
        },
      },
      ResultSelector: expect.objectContaining({
        'shipmentId.$': '$.Output.shipmentId',
        'trackingNumber.$': '$.Output.trackingNumber',
        'carrier.$': '$.Output.carrier',
      }) as unknown,
      ResultPath: '$.shipment',
      Next: 'RecordShipment',
    });
  });

  it("turns a failed child's States.TaskFailed into the child's own error, then compensates", () => {
    expect(state('ShipOrder').Catch).toEqual([
      { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'ReadFulfilmentError' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RefundPayment' },
    ]);
    expect(state('ReadFulfilmentError').Parameters).toEqual({
      'execution.$': 'States.StringToJson($.error.Cause)',
    });
    expect(state('UseFulfilmentError').Parameters).toEqual({
      'Error.$': '$.fulfilment.execution.Error',
      'Cause.$': '$.fulfilment.execution.Cause',
    });
    expect(state('HasFulfilmentError').Default).toBe('RefundPayment');
    // The saga: refund, release, then the notification, whatever fails on the way.
    expect(state('RefundPayment')).toMatchObject({ Next: 'ReleaseStock', Catch: [{ Next: 'ReleaseStock' }] });
    expect(state('ReleaseStock')).toMatchObject({
      Next: 'NotifyOrderError',
      Catch: [{ Next: 'NotifyOrderError' }],
    });
  });

  it("keeps the seed's ProcessPayment retry exactly (5 s, then 10 s, three attempts)", () => {
    expect(state('ProcessPayment').Retry?.[0]).toEqual({
      ErrorEquals: ['PaymentProcessingError', 'ServiceUnavailable'],
      IntervalSeconds: 5,
      MaxAttempts: 3,
      BackoffRate: 2,
    });
  });

  it.each([...lambdaTasks, ...childTasks])(
    "%s retries Lambda's own transient errors and has a timeout",
    (_name, task) => {
      const retriers = task.Retry ?? [];
      expect(retriers.some((r) => LAMBDA_TRANSIENT.every((error) => r.ErrorEquals.includes(error)))).toBe(
        true,
      );
      expect(retriers.flatMap((r) => r.ErrorEquals)).not.toContain('States.ALL');
      expect(task.TimeoutSeconds).toBeGreaterThan(0);
    },
  );

  it.each(['ValidateOrder', 'RefundPayment', 'ReleaseStock', 'NotifyOrderError'])(
    '%s (which talks to DynamoDB) retries ServiceUnavailable',
    (name) => {
      expect(state(name).Retry?.some((r) => r.ErrorEquals.includes('ServiceUnavailable'))).toBe(true);
    },
  );

  it('ValidateOrder catches ValidationError, then States.ALL, into NotifyOrderError with the error at $.error', () => {
    expect(state('ValidateOrder').Catch).toEqual([
      { ErrorEquals: ['ValidationError'], ResultPath: '$.error', Next: 'NotifyOrderError' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyOrderError' },
    ]);
  });

  it('ProcessPayment sends a decline to NotifyOrderError, and any other failure (it may have charged) to the refund', () => {
    expect(state('ProcessPayment').Catch).toEqual([
      { ErrorEquals: ['PaymentFailedError'], ResultPath: '$.error', Next: 'NotifyOrderError' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RefundPayment' },
    ]);
  });

  it('records the shipment with a direct DynamoDB write (no Lambda), PAID -> SHIPPED, and never marks it FAILED', () => {
    expect(state('RecordShipment')).toMatchObject({
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: {
        TableName: '${OrdersTableName}',
        Key: { orderId: { 'S.$': '$.orderId' } },
        ConditionExpression: '#status = :paid',
        ReturnValues: 'UPDATED_NEW',
      },
      // The receipt the Lambda returned: the order id and the shipment as stored.
      ResultSelector: {
        'orderId.$': '$$.Execution.Input.orderId',
        'shipmentId.$': '$.Attributes.shipment.M.shipmentId.S',
        'trackingNumber.$': '$.Attributes.shipment.M.trackingNumber.S',
        'carrier.$': '$.Attributes.shipment.M.carrier.S',
        'service.$': '$.Attributes.shipment.M.service.S',
      },
      ResultPath: '$.shipment',
      TimeoutSeconds: 30,
      Next: 'OrderShipped',
    });
    // Every DynamoDB error and timeout is retried (5 times, jittered from 1 s), except the condition: not PAID any more.
    expect(state('RecordShipment').Retry).toEqual([
      { ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], MaxAttempts: 0 },
      {
        ErrorEquals: ['States.ALL'],
        IntervalSeconds: 1,
        MaxAttempts: 5,
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      },
    ]);
    // Already SHIPPED (a retried write whose first attempt went through): done. A write that keeps failing: an operator.
    expect(state('RecordShipment').Catch).toEqual([
      { ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: null, Next: 'OrderShipped' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.recordError', Next: 'ShipmentNotRecorded' },
    ]);
    expect(state('ShipmentNotRecorded')).toMatchObject({ Type: 'Fail', Error: 'ShipmentNotRecorded' });
    expect(JSON.stringify(state('RecordShipment').Parameters)).not.toContain('FAILED');
    expect(asl.States).not.toHaveProperty('MarkOrderShipped');
  });

  it('every Catch keeps the order by setting a ResultPath (null only where the state adds nothing)', () => {
    const catchers = Object.values(asl.States).flatMap((s) => s.Catch ?? []);
    expect(catchers.length).toBeGreaterThan(0);
    for (const catcher of catchers) {
      if (catcher.ResultPath !== null) expect(catcher.ResultPath).toMatch(/^\$\.\w+$/);
      else expect(catcher.Next).toBe('OrderShipped');
    }
  });

  it('ends FAILED with the original error even when the notification itself fails, writing FAILED directly', () => {
    expect(state('NotifyOrderError').Next).toBe('OrderFailed');
    expect(state('NotifyOrderError').OutputPath).toBe('$.error');
    expect(state('NotifyOrderError').Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.notificationError', Next: 'MarkOrderFailed' },
    ]);
    expect(state('MarkOrderFailed')).toMatchObject({
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: {
        TableName: '${OrdersTableName}',
        ConditionExpression: '#status IN (:pending, :validated, :paid)',
      },
      ResultPath: null,
      OutputPath: '$.error',
      Next: 'OrderFailed',
    });
    expect(state('MarkOrderFailed').Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.markError', Next: 'NotificationFailed' },
    ]);
    expect(state('NotificationFailed')).toMatchObject({
      Type: 'Pass',
      InputPath: '$.error',
      Next: 'OrderFailed',
    });
    expect(state('OrderFailed')).toMatchObject({ Type: 'Fail', ErrorPath: '$.Error', CausePath: '$.Cause' });
  });

  it('builds each task input of the contract with Parameters', () => {
    expect(state('ValidateOrder').Parameters).toEqual({ 'orderId.$': '$.orderId' });
    // The payment method's reference, never a card token.
    expect(state('ProcessPayment').Parameters).toEqual({
      'orderId.$': '$.orderId',
      'paymentMethod.$': '$.paymentMethod',
      'amount.$': '$.validation.total',
    });
    expect(state('RefundPayment').Parameters).toEqual({ 'orderId.$': '$.orderId' });
    expect(state('ReleaseStock').Parameters).toEqual({ 'orderId.$': '$.orderId' });
    expect(state('NotifyOrderError').Parameters).toEqual({
      'orderId.$': '$.orderId',
      'error.$': '$.error.Error',
      'cause.$': '$.error.Cause',
    });
  });
});

const childStateOf = (definition: Definition, name: string): State => {
  const found = allStates(definition).find(([stateName]) => stateName === name)?.[1];
  if (!found) throw new Error(`No state ${name}`);
  return found;
};
const childState = (name: string): State => {
  const found = allStates(child).find(([stateName]) => stateName === name)?.[1];
  if (!found) throw new Error(`No fulfilment state ${name}`);
  return found;
};

describe('statemachines/fulfilment.asl.json', () => {
  it('passes asl-validator as written and with real ARNs', () => {
    expectValidAsl('fulfilment', child);
  });

  it('is written in JSONata, with no JSONPath field anywhere', () => {
    expect((child as unknown as { QueryLanguage: string }).QueryLanguage).toBe('JSONata');
    const jsonPathFields = [
      'Parameters',
      'ResultSelector',
      'ResultPath',
      'InputPath',
      'OutputPath',
      'ItemsPath',
    ];
    for (const [name, s] of allStates(child)) {
      for (const field of jsonPathFields) expect([name, field, s[field]]).toEqual([name, field, undefined]);
      expect(s.QueryLanguage).toBeUndefined();
    }
    expect(fulfilmentFile).not.toMatch(/"[A-Za-z]+\.\$"|\$\$\./);
  });

  it('reserves stock with a Map over the lines, failing the fulfilment when a line cannot be reserved', () => {
    expect(child.StartAt).toBe('ReserveStock');
    expect(childState('ReserveStock')).toMatchObject({
      Type: 'Map',
      Items: '{% $states.input.lines %}',
      ItemSelector: {
        orderId: '{% $states.input.orderId %}',
        sku: '{% $states.context.Map.Item.Value.sku %}',
        quantity: '{% $states.context.Map.Item.Value.quantity %}',
      },
      ItemProcessor: { StartAt: 'ReserveItem' },
      // The execution's input becomes variables for the states after it.
      Assign: expect.objectContaining({
        orderId: '{% $states.input.orderId %}',
        lines: '{% $states.input.lines %}',
        total: '{% $states.input.total %}',
      }) as unknown,
      Catch: [
        {
          ErrorEquals: ['States.ALL'],
          Assign: { error: '{% $states.errorOutput %}' },
          Next: 'FulfilmentFailed',
        },
      ],
    });
    expect(childState('ReserveItem')).toMatchObject({
      Resource: '${ReserveStockFunctionArn}',
      Arguments: {
        orderId: '{% $states.input.orderId %}',
        sku: '{% $states.input.sku %}',
        quantity: '{% $states.input.quantity %}',
      },
    });
  });

  it('chooses EXPRESS from EUR 100, else STANDARD after waiting for the next collection', () => {
    expect(childState('ChooseService')).toMatchObject({
      Type: 'Choice',
      Choices: [
        {
          Condition: '{% $total.amount >= 10000 %}',
          Assign: { service: 'EXPRESS' },
          Next: 'PrepareShipment',
        },
        { Condition: '{% true %}', Assign: { service: 'STANDARD' }, Next: 'WaitForCollection' },
      ],
    });
    expect(childState('ChooseService')).not.toHaveProperty('Default');
    expect(childState('WaitForCollection')).toMatchObject({
      Type: 'Wait',
      Seconds: 10,
      Next: 'PrepareShipment',
    });
  });

  it('books the label and confirms to the customer in parallel, from the variables', () => {
    const prepare = childState('PrepareShipment');
    expect(prepare.Type).toBe('Parallel');
    expect((prepare.Branches as Definition[]).map((branch) => branch.StartAt)).toEqual([
      'CreateShipment',
      'SendConfirmation',
    ]);
    expect(childState('CreateShipment').Arguments).toEqual({
      orderId: '{% $orderId %}',
      lines: '{% $lines %}',
      service: '{% $service %}',
    });
    expect(childState('SendConfirmation').Arguments).toEqual({
      orderId: '{% $orderId %}',
      service: '{% $service %}',
    });
    expect(prepare.Assign).toEqual({
      shipment: {
        shipmentId: '{% $states.result[0].shipmentId %}',
        trackingNumber: '{% $states.result[0].trackingNumber %}',
        carrier: '{% $states.result[0].carrier %}',
        service: '{% $states.result[0].service %}',
        confirmationId: '{% $states.result[1].notificationId %}',
      },
    });
    expect(prepare.Catch).toEqual([
      {
        ErrorEquals: ['States.ALL'],
        Assign: { error: '{% $states.errorOutput %}' },
        Next: 'FulfilmentFailed',
      },
    ]);
  });

  it('waits for the carrier with a task token, a heartbeat and a timeout, and handles the timeout', () => {
    expect(childState('RequestPickup')).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: {
        FunctionName: '${RequestPickupFunctionArn}',
        Payload: {
          taskToken: '{% $states.context.Task.Token %}',
          orderId: '{% $orderId %}',
          shipmentId: '{% $shipment.shipmentId %}',
        },
      },
      HeartbeatSeconds: 300,
      TimeoutSeconds: 900,
      Catch: [
        {
          ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'],
          Assign: { error: '{% $states.errorOutput %}' },
          Next: 'CancelPickup',
        },
        {
          ErrorEquals: ['States.ALL'],
          Assign: { error: '{% $states.errorOutput %}' },
          Next: 'FulfilmentFailed',
        },
      ],
    });
    expect(childState('CancelPickup')).toMatchObject({
      Arguments: { shipmentId: '{% $shipment.shipmentId %}' },
      Next: 'PickupTimedOut',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'PickupTimedOut' }],
    });
    expect(childState('PickupTimedOut')).toMatchObject({ Type: 'Fail', Error: 'PickupTimeoutError' });
  });

  it("ends with the shipment as output, or fails with the failed step's own error", () => {
    expect(childState('RequestPickup').Output).toBe(
      "{% $merge([$shipment, {'pickup': {'at': $states.result.pickedUpAt}}]) %}",
    );
    expect(childState('RequestPickup').Next).toBe('Fulfilled');
    expect(childState('Fulfilled')).toMatchObject({ Type: 'Succeed' });
    expect(childState('FulfilmentFailed')).toMatchObject({
      Type: 'Fail',
      Error: '{% $error.Error %}',
      Cause: '{% $error.Cause %}',
    });
  });
});

describe('statemachines/load-asl.js', () => {
  it('lists the function placeholders of both machines, and the child machine of the order workflow', () => {
    expect(listPlaceholders('order')).toEqual(FUNCTION_KEYS);
    for (const key of FUNCTION_KEYS) {
      expect(file).toContain(`"\${${key.charAt(0).toUpperCase()}${key.slice(1)}FunctionArn}"`);
    }
    expect(listPlaceholders('fulfilment')).toEqual([
      'reserveStock',
      'createShipment',
      'sendOrderConfirmation',
      'requestPickup',
      'cancelPickup',
    ]);
    expect(listStateMachinePlaceholders('order')).toEqual(['fulfilment']);
    expect(listStateMachinePlaceholders('fulfilment')).toEqual([]);
  });

  it('replaces every placeholder with what resolveArn returns and leaves no ${ behind', () => {
    const seen: string[] = [];
    const resolved = loadDefinition('order', (key) => {
      seen.push(key);
      return `arn:local:${key}`;
    });

    expect([...new Set(seen)].sort()).toEqual([...FUNCTION_KEYS, 'fulfilment', 'orders'].sort());
    expect(JSON.stringify(resolved)).not.toContain('${');
    expect((resolved as unknown as Definition).States.RecordShipment?.Parameters?.TableName).toBe(
      'arn:local:orders',
    );
    expect((resolved as unknown as Definition).States.ShipOrder?.Parameters?.StateMachineArn).toBe(
      'arn:local:fulfilment',
    );
  });

  it('tells the three placeholder kinds apart', () => {
    const kinds: [string, string][] = [];
    loadDefinition('order', (key, kind) => kinds.push([key, kind]));

    expect(kinds).toContainEqual(['fulfilment', 'stateMachine']);
    expect(kinds).toContainEqual(['validateOrder', 'function']);
    expect(kinds).toContainEqual(['orders', 'table']);
    expect(stateMachineKeyOf('${FulfilmentStateMachineArn}')).toBe('fulfilment');
    expect(stateMachineKeyOf('${ValidateOrderFunctionArn}')).toBeUndefined();
  });

  it('gives serverless.yml Fn::GetAtt of the matching functions, and changes nothing else', () => {
    const definition = order() as unknown as Definition;

    expect(definition.States.ValidateOrder?.Resource).toEqual({
      'Fn::GetAtt': ['ValidateOrderLambdaFunction', 'Arn'],
    });
    expect(definition.States.NotifyOrderError?.Resource).toEqual({
      'Fn::GetAtt': ['NotifyOrderErrorLambdaFunction', 'Arn'],
    });
    expect(definition.States.ShipOrder?.Parameters?.StateMachineArn).toEqual({
      Ref: 'FulfilmentWorkflowStateMachine',
    });
    expect(definition.States.MarkOrderFailed?.Parameters?.TableName).toEqual({ Ref: 'OrdersTable' });
    const withoutArns = (d: Definition) =>
      Object.fromEntries(
        Object.entries(d.States).map(([name, s]) => [
          name,
          {
            ...s,
            Resource: s.Resource?.startsWith?.('arn:aws:states:::') ? s.Resource : undefined,
            Parameters: { ...s.Parameters, StateMachineArn: undefined, TableName: undefined },
          },
        ]),
      );
    expect(withoutArns(definition)).toEqual(withoutArns(asl));
    expect(cloudFormationDefinition('order')).toEqual(definition);
    expect(childStateOf(fulfilment() as unknown as Definition, 'RequestPickup').Arguments).toMatchObject({
      FunctionName: { 'Fn::GetAtt': ['RequestPickupLambdaFunction', 'Arn'] },
    });
  });
});
