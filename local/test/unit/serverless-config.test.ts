import { secretVariables, withLocalSettings } from '../../local-settings';
import { LOCAL_ACCOUNT_ID, resolveFunctionArns, tableName, toServiceConfig } from '../../serverless-config';

/** A printed serverless.yml with one table, one state machine and two functions. */
function printed(custom: Record<string, unknown> = {}) {
  return {
    service: 'svc',
    provider: { stage: 'local', region: 'eu-west-1' },
    custom,
    functions: {
      start: {
        name: 'svc-local-start',
        environment: {
          MACHINE_ARN: { Ref: 'WorkWorkflowStateMachine' },
          TABLE: { Ref: 'ItemsTable' },
          SECRET_ID: { Ref: 'SomeSecret' },
          PLAIN: 'x',
        },
      },
      carrier: { name: 'svc-local-carrier', environment: { DELAY_SECONDS: '2' } },
    },
    resources: {
      Resources: {
        ItemsTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'svc-local-items' } },
      },
    },
    stepFunctions: {
      stateMachines: {
        workWorkflow: { id: 'WorkWorkflowStateMachine', name: 'svc-local-work', definition: {} },
      },
    },
  };
}

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

  it("reads each state machine's logical id and type, defaulting to the plugin's", () => {
    const config = toServiceConfig({
      service: 'svc',
      provider: { stage: 'local', region: 'us-east-1' },
      stepFunctions: {
        stateMachines: {
          orderWorkflow: { id: 'OrderWorkflowStateMachine', name: 'svc-local-order', definition: {} },
          roundWorkflow: { name: 'svc-local-round', type: 'EXPRESS', definition: {} },
          other: { definition: {} },
        },
      },
    });

    expect(config.stateMachines.map(({ key, id, name, type }) => ({ key, id, name, type }))).toEqual([
      { key: 'orderWorkflow', id: 'OrderWorkflowStateMachine', name: 'svc-local-order', type: 'STANDARD' },
      {
        key: 'roundWorkflow',
        id: 'RoundWorkflowStepFunctionsStateMachine',
        name: 'svc-local-round',
        type: 'EXPRESS',
      },
      { key: 'other', id: 'OtherStepFunctionsStateMachine', name: 'other', type: 'STANDARD' },
    ]);
  });

  it('resolves Refs of its state machines and tables in the environment to their local ARN and name', () => {
    const config = toServiceConfig(printed());

    expect(config.stateMachines[0]?.localArn).toBe(
      `arn:aws:states:eu-west-1:${LOCAL_ACCOUNT_ID}:stateMachine:svc-local-work`,
    );
    expect(config.functions.start?.environment).toEqual({
      MACHINE_ARN: `arn:aws:states:eu-west-1:${LOCAL_ACCOUNT_ID}:stateMachine:svc-local-work`,
      TABLE: 'svc-local-items',
      // Not the service's to resolve locally: left as printed (serverless.yml gives the local stage a value).
      SECRET_ID: { Ref: 'SomeSecret' },
      PLAIN: 'x',
    });
  });

  it('names a table by its logical id, and says so when serverless.yml defines none', () => {
    const config = toServiceConfig(printed());

    expect(tableName(config, 'ItemsTable')).toBe('svc-local-items');
    expect(() => tableName(config, 'OrdersTable')).toThrow('serverless.yml defines no table OrdersTable');
  });

  it('sets nothing of custom.local for a service without it', () => {
    const config = toServiceConfig(printed());

    expect(config.local).toEqual({ timeScaledSeconds: {}, secrets: {} });
    expect(withLocalSettings(config, 0.01, {}, {})).toEqual(config.functions);
  });

  it('scales time-scaled seconds and sets secrets only for the functions custom.local names', () => {
    const config = toServiceConfig(
      printed({
        local: { timeScaledSeconds: { carrier: ['DELAY_SECONDS'] }, secrets: { carrier: ['KEY'] } },
      }),
    );

    const functions = withLocalSettings(config, 0.01, { KEY: 'k' }, {});

    expect(secretVariables(config)).toEqual(['KEY']);
    expect(functions.carrier?.environment).toEqual({ DELAY_SECONDS: '0.02', KEY: 'k' });
    expect(functions.start?.environment).toEqual(config.functions.start?.environment);
  });

  it('takes a time-scaled variable set in its own environment as it is', () => {
    const config = toServiceConfig(printed({ local: { timeScaledSeconds: { carrier: ['DELAY_SECONDS'] } } }));

    const functions = withLocalSettings(config, 0.01, {}, { DELAY_SECONDS: '5' });

    expect(functions.carrier?.environment.DELAY_SECONDS).toBe('5');
  });

  it.each([
    [
      { timeScaledSeconds: { gone: ['DELAY_SECONDS'] } },
      'custom.local.timeScaledSeconds names no function: gone',
    ],
    [{ timeScaledSeconds: { carrier: ['PLAIN'] } }, 'carrier has no number of seconds in PLAIN'],
    [{ secrets: { gone: ['KEY'] } }, 'custom.local.secrets names no function: gone'],
  ])('refuses a custom.local that does not fit the functions (%j)', (local, message) => {
    expect(() => toServiceConfig(printed({ local }))).toThrow(message);
  });
});
