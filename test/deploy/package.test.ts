import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readServiceConfig, type ServiceConfig } from '../../local';
import { cloudFormationDefinition, listPlaceholders } from '../../statemachines/load-asl';
import { readZip } from './zip';

/**
 * `serverless package --stage ci` once, then checks the CloudFormation it would deploy. No AWS account needed.
 * The functions and names come from serverless.yml itself (`serverless print`, local/serverless-config.ts).
 */

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
interface Template {
  Resources: Record<string, Resource>;
  Outputs: Record<string, unknown>;
}

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const STAGE = 'ci';
/** statemachines/<name>.asl.json: each deploys as one state machine. */
const MACHINES = readdirSync(join(ROOT, 'statemachines'))
  .filter((file) => file.endsWith('.asl.json'))
  .map((file) => file.slice(0, -'.asl.json'.length));
// The only actions allowed on Resource "*": none of them supports resource-level permissions.
const STAR_RESOURCE_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

const logicalId = (key: string) => `${key.charAt(0).toUpperCase()}${key.slice(1)}LambdaFunction`;
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

let outDir: string;
let template: Template;
let config: ServiceConfig;
/** `<service>-ci-`: every name the stack gives starts with it. */
let prefix: string;

function resource(id: string): Resource {
  const found = template.Resources[id];
  if (!found) throw new Error(`No resource ${id} in the template`);
  return found;
}
function ofType(type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
function statementsOf(roleId: string): Statement[] {
  const policies = resource(roleId).Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}
function functionKeys(): string[] {
  return Object.keys(config.functions);
}
/** The state machine serverless.yml deploys from statemachines/<name>.asl.json. */
function machine(name: string): ServiceConfig['stateMachines'][number] {
  const found = config.stateMachines.find((sm) => sm.name === `${prefix}${name}`);
  if (!found) throw new Error(`serverless.yml deploys no state machine ${prefix}${name} (${name}.asl.json)`);
  return found;
}
function roleOf(functionKey: string): string {
  const role = resource(logicalId(functionKey)).Properties.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}
/** Functions a statement resource points at through Fn::GetAtt (directly or inside the `:*` version Fn::Sub). */
function functionsReferenced(value: unknown): string[] {
  const json = JSON.stringify(value);
  return [...json.matchAll(/"Fn::GetAtt":\["(\w+)LambdaFunction","Arn"\]/g)].map((m) => m[1] ?? '');
}

beforeAll(async () => {
  // node_modules/.bin first, so the framework and esbuild run on the project's Node 24.
  const PATH = `${BIN}:${process.env.PATH ?? ''}`;
  config = await readServiceConfig(STAGE, ROOT, { PATH });
  prefix = `${config.service}-${STAGE}-`;
  outDir = mkdtempSync(join(tmpdir(), 'package-test-'));
  execFileSync(join(BIN, 'serverless'), ['package', '--stage', STAGE, '--package', outDir], {
    cwd: ROOT,
    stdio: 'pipe',
    env: {
      ...process.env,
      PATH,
      // Packaging makes no AWS call, but the framework wants credentials to exist.
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      // A build folder of its own: a local cloud running at the same time serves its handlers from .esbuild/.
      ESBUILD_WORK_FOLDER: `.esbuild/package-test-${process.pid}`,
    },
  });
  template = JSON.parse(
    readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
}, 300_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  rmSync(join(ROOT, '.esbuild', `package-test-${process.pid}`), { recursive: true, force: true });
});

describe('serverless package --stage ci', () => {
  it('runs on Node 24, the runtime the functions are packaged for (the node devDependency)', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it.each(MACHINES)(
    'deploys %s.asl.json unchanged, its ARNs as Fn::GetAtt / Ref of the right resources',
    (name) => {
      const sub = resource(machine(name).id).Properties.DefinitionString as {
        'Fn::Sub': [string, Record<string, unknown>];
      };
      const [body, variables] = sub['Fn::Sub'];
      const substitute = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(substitute);
        if (value !== null && typeof value === 'object') {
          return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
        }
        const match = typeof value === 'string' ? /^\$\{(\w+)\}$/.exec(value) : null;
        return match?.[1] !== undefined && match[1] in variables ? variables[match[1]] : value;
      };

      expect(substitute(JSON.parse(body))).toEqual(cloudFormationDefinition(name));
    },
  );

  it('starts the fulfilment workflow from the order workflow by the Ref of the child machine', () => {
    const [, variables] = (
      resource(machine('order').id).Properties.DefinitionString as {
        'Fn::Sub': [string, Record<string, unknown>];
      }
    )['Fn::Sub'];
    expect(Object.values(variables)).toContainEqual({ Ref: machine('fulfilment').id });
  });

  it.each(MACHINES)(
    'names the %s state machine per stage, logging errors without execution data to its own log group, tracing on',
    (name) => {
      const { id } = machine(name);
      const logGroup = id.replace('StateMachine', 'LogGroup');
      expect(resource(id).Properties).toMatchObject({
        StateMachineName: `${prefix}${name}`,
        // Express cannot wait for a callback or a child (the order and fulfilment do); the carrier's round needs neither.
        StateMachineType: name === 'carrier' ? 'EXPRESS' : 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: {
          Level: 'ERROR',
          // Execution data would copy inputs and outputs (order data) into CloudWatch Logs.
          IncludeExecutionData: false,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroup, 'Arn'] } } }],
        },
      });
      expect(resource(logGroup).Properties.LogGroupName).toBe(`/aws/vendedlogs/states/${prefix}${name}`);
    },
  );

  it('runs every function on nodejs24.x / arm64 with active tracing', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.map(([id]) => id).sort()).toEqual(functionKeys().map(logicalId).sort());
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('gives createOrder the state machine ARN and no function an unresolved variable', () => {
    const env = (key: string) =>
      (resource(logicalId(key)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(env('createOrder').STATE_MACHINE_ARN).toEqual({ Ref: machine('order').id });
    expect(env('validateOrder')).toMatchObject({
      ORDERS_TABLE: `${prefix}orders`,
      CATALOG_TABLE: `${prefix}catalog`,
    });
    expect(env('requestPickup')).toMatchObject({
      SHIPMENTS_TABLE: `${prefix}shipments`,
      SANDBOX_CARRIER_STATE_MACHINE_ARN: { Ref: machine('carrier').id },
      SANDBOX_PICKUP_DELAY_SECONDS: '2',
    });
    expect(resource('SandboxCarrierLambdaFunction').Properties.FunctionName).toBe(`${prefix}sandboxCarrier`);
    // It reports and returns: the pickup delay is its workflow's Wait, not a sleep billed as Lambda duration.
    expect(env('sandboxCarrier')).not.toHaveProperty('SANDBOX_PICKUP_DELAY_SECONDS');
    expect(resource('SandboxCarrierLambdaFunction').Properties.Timeout).toBe(10);
    for (const key of functionKeys().filter((k) => k !== 'createOrder')) {
      expect(env(key)).not.toHaveProperty('STATE_MACHINE_ARN');
    }
    expect(JSON.stringify(template)).not.toMatch(/\$\{(self|opt|sls|env|param|file):/);
  });

  it('routes the orders API and the carrier webhook to their functions', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => {
      const target = route.Properties.Target as { 'Fn::Join': [string, string[]] };
      const integrationId = target['Fn::Join'][1][1] as unknown as { Ref: string };
      const uri = resource(integrationId.Ref).Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] };
      return [route.Properties.RouteKey, uri['Fn::GetAtt'][0]];
    });

    expect(Object.fromEntries(routes)).toEqual({
      'POST /orders': 'CreateOrderLambdaFunction',
      'GET /orders/{orderId}': 'GetOrderLambdaFunction',
      'POST /shipments/{shipmentId}/events': 'CarrierEventLambdaFunction',
    });
    const api = ofType('AWS::ApiGatewayV2::Api')[0]?.[1];
    expect(api?.Properties).not.toHaveProperty('CorsConfiguration');
    for (const [, integration] of ofType('AWS::ApiGatewayV2::Integration')) {
      expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
    }
  });

  it('requires the customer JWT on every route but the carrier webhook, which has no authorizer', () => {
    const routes: Record<string, Record<string, unknown>> = Object.fromEntries(
      ofType('AWS::ApiGatewayV2::Route').map(([, route]) => [
        String(route.Properties.RouteKey),
        route.Properties,
      ]),
    );
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');

    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] ?? [];
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: {
          'Fn::If': [
            'CreateCustomerUserPool',
            { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.amazonaws.com/${CustomerUserPool}' },
            '',
          ],
        },
        Audience: [{ 'Fn::If': ['CreateCustomerUserPool', { Ref: 'CustomerUserPoolClient' }, ''] }],
      },
    });
    for (const [key, route] of Object.entries(routes)) {
      if (key === 'POST /shipments/{shipmentId}/events') {
        // The carrier is no customer: its handler verifies each request's HMAC signature instead.
        expect(route).not.toHaveProperty('AuthorizerId');
        expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
      } else {
        expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      }
    }
    expect(Object.keys(routes)).toHaveLength(3);
  });

  it('creates the Cognito user pool and public app client only when no issuer is given', () => {
    expect(template).toMatchObject({
      Conditions: { CreateCustomerUserPool: { 'Fn::Equals': ['', ''] } },
    });
    expect(resource('CustomerUserPool')).toMatchObject({ Condition: 'CreateCustomerUserPool' });
    expect(resource('CustomerUserPoolClient')).toMatchObject({
      Condition: 'CreateCustomerUserPool',
      Properties: { GenerateSecret: false, UserPoolId: { Ref: 'CustomerUserPool' } },
    });
  });

  it('throttles every route of the API stage', () => {
    expect(resource('HttpApiStage').Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
  });

  it('keeps the webhook secret in Secrets Manager, readable only by the functions that sign or verify with it', () => {
    expect(resource('CarrierWebhookSecret')).toMatchObject({
      Type: 'AWS::SecretsManager::Secret',
      Properties: { GenerateSecretString: { PasswordLength: 64 } },
    });
    const readers = ofType('AWS::IAM::Role').flatMap(([id]) =>
      statementsOf(id)
        .filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')))
        .map((s) => [id, actionsOf(s), s.Resource]),
    );
    const read = [['secretsmanager:GetSecretValue'], { Ref: 'CarrierWebhookSecret' }];
    expect(readers).toEqual([
      ['CreateShipmentRole', ...read],
      ['CarrierEventRole', ...read],
      ['SandboxCarrierRole', ...read],
    ]);
  });

  it.each([
    ['OrdersTable', 'orders', [['orderId', 'HASH']]],
    ['CatalogTable', 'catalog', [['sku', 'HASH']]],
    ['IdempotencyTable', 'idempotency', [['id', 'HASH']]],
    [
      'OutboxTable',
      'outbox',
      [
        ['orderId', 'HASH'],
        ['messageId', 'RANGE'],
      ],
    ],
    ['ShipmentsTable', 'shipments', [['shipmentId', 'HASH']]],
    ['PaymentLedgerTable', 'sandbox-payments', [['orderId', 'HASH']]],
    ['WebhookSignaturesTable', 'webhook-signatures', [['signature', 'HASH']]],
    [
      'ReservationsTable',
      'reservations',
      [
        ['orderId', 'HASH'],
        ['sku', 'RANGE'],
      ],
    ],
  ])('creates %s (<service>-<stage>-%s) on demand with point-in-time recovery', (id, name, keys) => {
    const table = resource(id);
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      TableName: `${prefix}${name}`,
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: keys.map(([AttributeName, KeyType]) => ({ AttributeName, KeyType })),
    });
  });

  it('expires idempotency records through TTL on "expiration"', () => {
    expect(resource('IdempotencyTable').Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiration',
      Enabled: true,
    });
  });

  it('gives each function its own role and creates no shared Lambda role', () => {
    const roles = functionKeys().map(roleOf);
    expect(new Set(roles).size).toBe(roles.length);
    expect(template.Resources).not.toHaveProperty('IamRoleLambdaExecution');
  });

  it('uses no wildcard action, and Resource "*" only for actions that allow nothing narrower', () => {
    const statements = ofType('AWS::IAM::Role').flatMap(([id]) => statementsOf(id));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of actionsOf(statement)) expect(action).not.toContain('*');
      if (resourcesOf(statement).includes('*')) {
        expect(actionsOf(statement).filter((a) => !STAR_RESOURCE_ACTIONS.has(a))).toEqual([]);
      }
    }
  });

  it('lets each function write only its own log group, and create no log group', () => {
    for (const key of functionKeys()) {
      const logStatements = statementsOf(roleOf(key)).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('logs:')),
      );
      expect(logStatements.map((s) => [actionsOf(s), s.Resource])).toEqual([
        [
          ['logs:CreateLogStream', 'logs:PutLogEvents'],
          { 'Fn::GetAtt': [`${logicalId(key).replace('LambdaFunction', '')}LogGroup`, 'Arn'] },
        ],
      ]);
    }
  });

  it('gives each function a role that only Lambda assumes, one policy, X-Ray writes, and nothing unchecked', () => {
    // Each service's statements are pinned by a test of this file; an action of any other service is unchecked.
    const checked = new Set(['xray', 'logs', 'dynamodb', 'secretsmanager', 'states', 'lambda']);
    for (const key of functionKeys()) {
      const role = resource(roleOf(key)).Properties;
      const statements = statementsOf(roleOf(key));

      expect(role.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      });
      expect(role.Policies).toHaveLength(1);
      expect(role).not.toHaveProperty('ManagedPolicyArns');
      expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('xray:')))).toEqual([
        { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      ]);
      const unchecked = statements.flatMap(actionsOf).filter((a) => !checked.has(a.split(':')[0] ?? ''));
      expect(unchecked).toEqual([]);
    }
  });

  it("gives every function Powertools' service name and metrics namespace", () => {
    for (const key of functionKeys()) {
      const env = (resource(logicalId(key)).Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      // src/shared/powertools.ts names neither: Powertools reads them from here.
      expect(env.POWERTOOLS_SERVICE_NAME).toBe(config.service);
      expect(env.POWERTOOLS_METRICS_NAMESPACE).toEqual(expect.stringMatching(/^[A-Za-z][A-Za-z0-9]+$/));
    }
  });

  it('lets the order workflow invoke exactly its five task functions', () => {
    const statements = statementsOf('OrderWorkflowRole');
    const invoke = statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    expect(invoke.flatMap(resourcesOf)).toEqual(
      listPlaceholders('order').map((k) => ({ 'Fn::GetAtt': [logicalId(k), 'Arn'] })),
    );
    expect(resource(machine('order').id).Properties.RoleArn).toEqual({
      'Fn::GetAtt': ['OrderWorkflowRole', 'Arn'],
    });
  });

  it('lets the order workflow start, describe and stop only fulfilment executions, plus the .sync rule', () => {
    const statements = statementsOf('OrderWorkflowRole').filter((s) =>
      actionsOf(s).some((a) => a.startsWith('states:') || a.startsWith('events:')),
    );
    expect(statements.map((s) => [actionsOf(s), s.Resource])).toEqual([
      [['states:StartExecution'], { Ref: machine('fulfilment').id }],
      [
        ['states:DescribeExecution', 'states:StopExecution'],
        {
          'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${prefix}fulfilment:*`,
        },
      ],
      [
        ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule',
        },
      ],
    ]);
    expect(resource('OrderWorkflowRole').Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });

  it('lets each workflow write exactly the tables its direct DynamoDB integrations write, with their actions', () => {
    // From the ASL: every arn:aws:states:::dynamodb:<action> Task and the table its ${XxxTableName} names.
    const direct = (machine: string) => {
      const found: [string, unknown][] = [];
      const visit = (value: unknown): void => {
        if (Array.isArray(value)) return value.forEach(visit);
        if (value === null || typeof value !== 'object') return;
        const node = value as Record<string, unknown>;
        const action = /^arn:aws:states:::dynamodb:(\w+)$/.exec(String(node.Resource))?.[1];
        const args = (node.Parameters ?? node.Arguments) as { TableName?: unknown } | undefined;
        if (action)
          found.push([`dynamodb:${action.charAt(0).toUpperCase()}${action.slice(1)}`, args?.TableName]);
        Object.values(node).forEach(visit);
      };
      visit(cloudFormationDefinition(machine));
      return found;
    };
    expect(direct('order')).toEqual([
      ['dynamodb:UpdateItem', { Ref: 'OrdersTable' }],
      ['dynamodb:UpdateItem', { Ref: 'OrdersTable' }],
    ]);
    expect(direct('fulfilment')).toEqual([]);

    const dynamodbStatements = (roleId: string) =>
      statementsOf(roleId)
        .filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))
        .map((s) => [actionsOf(s), s.Resource]);
    expect(dynamodbStatements('OrderWorkflowRole')).toEqual([
      [['dynamodb:UpdateItem'], { 'Fn::GetAtt': ['OrdersTable', 'Arn'] }],
    ]);
    expect(dynamodbStatements('FulfilmentWorkflowStateMachineRole')).toEqual([]);
  });

  it.each([
    ['fulfilment', 'its five task functions, the callback one included'],
    ['carrier', 'the sandbox carrier only'],
  ])('lets the %s workflow invoke exactly %s', (name) => {
    const statements = statementsOf(`${machine(name).id}Role`);
    const invoke = statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    expect([...new Set(invoke.flatMap((s) => functionsReferenced(s.Resource)))].sort()).toEqual(
      listPlaceholders(name)
        .map((k) => logicalId(k).replace('LambdaFunction', ''))
        .sort(),
    );
    // Log delivery and X-Ray, which support no resource-level permissions.
    for (const s of statements.filter((st) => !invoke.includes(st))) expect(s.Resource).toBe('*');
  });

  it('lets createOrder start only the order workflow, requestPickup only the carrier, and only the carrier side complete fulfilment tokens', () => {
    const fulfilmentTokens = {
      'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${prefix}fulfilment`,
    };
    const callbacks = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'];
    const starts = ofType('AWS::IAM::Role')
      .filter(([id]) => id !== 'OrderWorkflowRole')
      .flatMap(([id]) =>
        statementsOf(id)
          .filter((s) => actionsOf(s).some((a) => a.startsWith('states:')))
          .map((s) => [id, actionsOf(s), s.Resource]),
      );
    expect(starts).toEqual([
      ['CreateOrderRole', ['states:StartExecution'], { Ref: machine('order').id }],
      ['RequestPickupRole', ['states:StartExecution'], { Ref: machine('carrier').id }],
      ['CarrierEventRole', callbacks, fulfilmentTokens],
      ['SandboxCarrierRole', callbacks, fulfilmentTokens],
    ]);
  });

  it("lets no function invoke another (the sandbox carrier runs as its workflow's Tasks)", () => {
    const invokes = ofType('AWS::IAM::Role')
      .filter(([id]) => !id.endsWith('StateMachineRole') && id !== 'OrderWorkflowRole')
      .flatMap(([id]) =>
        statementsOf(id)
          .filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')))
          .map((s) => [id, actionsOf(s), s.Resource]),
      );
    expect(invokes).toEqual([]);
  });

  it.each([
    [
      'CreateOrderRole',
      [
        ['dynamodb:PutItem,dynamodb:UpdateItem,dynamodb:GetItem', 'OrdersTable'],
        // No GetItem: a refused claim returns the record that holds the key (ReturnValuesOnConditionCheckFailure).
        ['dynamodb:PutItem,dynamodb:UpdateItem,dynamodb:DeleteItem', 'IdempotencyTable'],
      ],
    ],
    [
      'ReserveStockRole',
      [
        ['dynamodb:PutItem', 'ReservationsTable'],
        ['dynamodb:UpdateItem', 'CatalogTable'],
      ],
    ],
    [
      'ReleaseStockRole',
      [
        ['dynamodb:Query,dynamodb:DeleteItem', 'ReservationsTable'],
        ['dynamodb:UpdateItem', 'CatalogTable'],
      ],
    ],
    [
      'RefundPaymentRole',
      [
        ['dynamodb:GetItem,dynamodb:UpdateItem', 'OrdersTable'],
        ['dynamodb:GetItem,dynamodb:UpdateItem', 'PaymentLedgerTable'],
      ],
    ],
    [
      'ProcessPaymentRole',
      [
        ['dynamodb:GetItem,dynamodb:UpdateItem', 'OrdersTable'],
        ['dynamodb:GetItem,dynamodb:PutItem', 'PaymentLedgerTable'],
      ],
    ],
    [
      'CreateShipmentRole',
      [
        ['dynamodb:PutItem,dynamodb:GetItem', 'ShipmentsTable'],
        ['dynamodb:GetItem', 'OrdersTable'],
      ],
    ],
    [
      'SendOrderConfirmationRole',
      [
        ['dynamodb:PutItem', 'OutboxTable'],
        ['dynamodb:GetItem', 'OrdersTable'],
      ],
    ],
    ['RequestPickupRole', [['dynamodb:GetItem,dynamodb:UpdateItem', 'ShipmentsTable']]],
    ['CancelPickupRole', [['dynamodb:GetItem,dynamodb:UpdateItem', 'ShipmentsTable']]],
    [
      'CarrierEventRole',
      [
        ['dynamodb:GetItem,dynamodb:UpdateItem', 'ShipmentsTable'],
        ['dynamodb:PutItem,dynamodb:DeleteItem', 'WebhookSignaturesTable'],
      ],
    ],
    [
      'SandboxCarrierRole',
      [
        ['dynamodb:GetItem,dynamodb:UpdateItem', 'ShipmentsTable'],
        ['dynamodb:PutItem,dynamodb:DeleteItem', 'WebhookSignaturesTable'],
      ],
    ],
  ])('lets %s use only its tables, with only the actions it needs', (roleId, expected) => {
    const dynamodb = statementsOf(roleId)
      .filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))
      .map((s) => [
        actionsOf(s).join(','),
        (s.Resource as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
      ]);
    expect(dynamodb).toEqual(expected);
  });

  it('outputs the API URL, both state machine ARNs and the table names', () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining([
        'HttpApiUrl',
        ...config.stateMachines.map((sm) => `${sm.id}Arn`),
        'OrdersTableName',
        'CatalogTableName',
        'IdempotencyTableName',
        'OutboxTableName',
        'ShipmentsTableName',
        'ReservationsTableName',
      ]),
    );
  });

  it('bundles each handler alone (no source map) into a zip that loads on Node 24', () => {
    const sizes: string[] = [];
    for (const [key, { handler: entry }] of Object.entries(config.functions)) {
      const handler = entry.slice(0, entry.lastIndexOf('.'));
      const zipPath = join(outDir, `${key}.zip`);
      const entries = readZip(readFileSync(zipPath));
      expect(entries.map((e) => e.name)).toEqual([`${handler}.js`]);
      sizes.push(`${key.padEnd(22)} ${(statSync(zipPath).size / 1024).toFixed(0).padStart(6)} KiB zipped`);

      // Unpack and require it as Lambda would (CommonJS, no node_modules), with the env it gets on AWS.
      const dir = join(outDir, 'unzipped', key);
      for (const entry of entries) {
        mkdirSync(dirname(join(dir, entry.name)), { recursive: true });
        writeFileSync(join(dir, entry.name), entry.data);
      }
      const env = (resource(logicalId(key)).Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      const printed = execFileSync(
        process.execPath,
        ['-e', `process.stdout.write(typeof require('./${handler}.js').handler)`],
        {
          cwd: dir,
          env: {
            PATH: process.env.PATH,
            AWS_REGION: 'us-east-1',
            ...Object.fromEntries(
              Object.entries(env).map(([k, v]) => [
                k,
                typeof v === 'string' ? v : 'arn:aws:states:us-east-1:0:x',
              ]),
            ),
          },
        },
      ).toString();
      expect(printed).toBe('function');
    }
    expect(readdirSync(outDir).filter((f) => f.endsWith('.zip'))).toHaveLength(functionKeys().length);
    console.log(`Lambda bundles (serverless package --stage ci):\n${sizes.join('\n')}`);
  });
});
