import { resolveFunctionArns, toServiceConfig } from '../../serverless-config';

describe('local serverless config', () => {
  it('resolves function GetAtts and state machine Refs to the local ARNs', () => {
    const definition = {
      States: {
        Ship: { Parameters: { StateMachineArn: { Ref: 'FulfilmentWorkflowStateMachine' } } },
        Pay: { Resource: { 'Fn::GetAtt': ['ProcessPaymentLambdaFunction', 'Arn'] } },
      },
    };

    const resolved = resolveFunctionArns(definition, ['processPayment'], (key) => `arn:fn:${key}`, {
      FulfilmentWorkflowStateMachine: 'arn:sm:fulfilment',
    });

    expect(resolved).toEqual({
      States: {
        Ship: { Parameters: { StateMachineArn: 'arn:sm:fulfilment' } },
        Pay: { Resource: 'arn:fn:processPayment' },
      },
    });
  });

  it('resolves the Ref of a table to its name', () => {
    const resolved = resolveFunctionArns(
      { TableName: { Ref: 'OrdersTable' } },
      [],
      () => 'x',
      {},
      {
        OrdersTable: 'svc-local-orders',
      },
    );

    expect(resolved).toEqual({ TableName: 'svc-local-orders' });
  });

  it.each([
    [{ Ref: 'OtherStateMachine' }, 'OtherStateMachine, which is neither a state machine nor a table here'],
    [{ 'Fn::GetAtt': ['GoneLambdaFunction', 'Arn'] }, 'GoneLambdaFunction, which is not a function here'],
  ])('refuses a reference to something the service does not define (%j)', (reference, message) => {
    expect(() => resolveFunctionArns({ Resource: reference }, [], () => 'x')).toThrow(message);
  });

  it("reads each state machine's logical id, defaulting to the plugin's", () => {
    const config = toServiceConfig({
      service: 'svc',
      provider: { stage: 'local', region: 'us-east-1' },
      stepFunctions: {
        stateMachines: {
          orderWorkflow: { id: 'OrderWorkflowStateMachine', name: 'svc-local-order', definition: {} },
          other: { definition: {} },
        },
      },
    });

    expect(config.stateMachines.map(({ key, id, name }) => ({ key, id, name }))).toEqual([
      { key: 'orderWorkflow', id: 'OrderWorkflowStateMachine', name: 'svc-local-order' },
      { key: 'other', id: 'OtherStepFunctionsStateMachine', name: 'other' },
    ]);
  });
});
