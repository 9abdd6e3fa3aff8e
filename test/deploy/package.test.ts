import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cloudFormationDefinition } from '../../statemachines/load-asl';
import { readZip } from './zip';

/** `serverless package --stage ci` once, then checks the CloudFormation it would deploy. No AWS account needed. */

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
const FUNCTIONS = {
  createOrder: 'src/handlers/create-order',
  getOrder: 'src/handlers/get-order',
  validateOrder: 'src/handlers/validate-order',
  processPayment: 'src/handlers/process-payment',
  shipOrder: 'src/handlers/ship-order',
  notifyOrderError: 'src/handlers/notify-order-error',
} as const;
const TASK_FUNCTIONS = ['validateOrder', 'processPayment', 'shipOrder', 'notifyOrderError'];
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
function roleOf(functionKey: string): string {
  const role = resource(logicalId(functionKey)).Properties.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}
/** Functions a statement resource points at through Fn::GetAtt (directly or inside the `:*` version Fn::Sub). */
function functionsReferenced(value: unknown): string[] {
  const json = JSON.stringify(value);
  return [...json.matchAll(/"Fn::GetAtt":\["(\w+)LambdaFunction","Arn"\]/g)].map((m) => m[1] ?? '');
}

beforeAll(() => {
  expect(process.versions.node.split('.')[0]).toBe('24');
  outDir = mkdtempSync(join(tmpdir(), 'order-processing-package-'));
  execFileSync(join(BIN, 'serverless'), ['package', '--stage', 'ci', '--package', outDir], {
    cwd: ROOT,
    stdio: 'pipe',
    env: {
      ...process.env,
      // node_modules/.bin first, so the framework and esbuild run on the project's Node 24.
      PATH: `${BIN}:${process.env.PATH ?? ''}`,
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
  it('deploys the ASL file unchanged, with the four task ARNs as Fn::GetAtt of the right functions', () => {
    const sub = resource('OrderWorkflowStateMachine').Properties.DefinitionString as {
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

    expect(substitute(JSON.parse(body))).toEqual(cloudFormationDefinition('order'));
  });

  it('names the state machine per stage, with logging to its own log group and tracing on', () => {
    expect(resource('OrderWorkflowStateMachine').Properties).toMatchObject({
      StateMachineName: 'order-processing-ci-order',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: true,
        Destinations: [
          { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['OrderWorkflowLogGroup', 'Arn'] } } },
        ],
      },
    });
    expect(resource('OrderWorkflowLogGroup').Type).toBe('AWS::Logs::LogGroup');
  });

  it('runs every function on nodejs24.x / arm64 with active tracing', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.map(([id]) => id).sort()).toEqual(Object.keys(FUNCTIONS).map(logicalId).sort());
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

    expect(env('createOrder').STATE_MACHINE_ARN).toEqual({ Ref: 'OrderWorkflowStateMachine' });
    expect(env('validateOrder')).toMatchObject({
      ORDERS_TABLE: 'order-processing-ci-orders',
      CATALOG_TABLE: 'order-processing-ci-catalog',
    });
    for (const key of Object.keys(FUNCTIONS).filter((k) => k !== 'createOrder')) {
      expect(env(key)).not.toHaveProperty('STATE_MACHINE_ARN');
    }
    expect(JSON.stringify(template)).not.toMatch(/\$\{(self|opt|sls|env|param|file):/);
  });

  it('routes POST /orders and GET /orders/{orderId} to their functions', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => {
      const target = route.Properties.Target as { 'Fn::Join': [string, string[]] };
      const integrationId = target['Fn::Join'][1][1] as unknown as { Ref: string };
      const uri = resource(integrationId.Ref).Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] };
      return [route.Properties.RouteKey, uri['Fn::GetAtt'][0]];
    });

    expect(Object.fromEntries(routes)).toEqual({
      'POST /orders': 'CreateOrderLambdaFunction',
      'GET /orders/{orderId}': 'GetOrderLambdaFunction',
    });
    const api = ofType('AWS::ApiGatewayV2::Api')[0]?.[1];
    expect(api?.Properties).not.toHaveProperty('CorsConfiguration');
    for (const [, integration] of ofType('AWS::ApiGatewayV2::Integration')) {
      expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
    }
  });

  it.each([
    ['OrdersTable', 'order-processing-ci-orders', [['orderId', 'HASH']]],
    ['CatalogTable', 'order-processing-ci-catalog', [['sku', 'HASH']]],
    ['IdempotencyTable', 'order-processing-ci-idempotency', [['id', 'HASH']]],
    [
      'OutboxTable',
      'order-processing-ci-outbox',
      [
        ['orderId', 'HASH'],
        ['messageId', 'RANGE'],
      ],
    ],
  ])('creates %s (%s) on demand with point-in-time recovery', (id, name, keys) => {
    const table = resource(id);
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      TableName: name,
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
    const roles = Object.keys(FUNCTIONS).map(roleOf);
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

  it('lets each function write only its own log group', () => {
    for (const key of Object.keys(FUNCTIONS)) {
      const logStatements = statementsOf(roleOf(key)).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('logs:')),
      );
      expect(logStatements.flatMap(resourcesOf)).toEqual([
        { 'Fn::GetAtt': [`${logicalId(key).replace('LambdaFunction', '')}LogGroup`, 'Arn'] },
      ]);
    }
  });

  it('lets the state machine invoke exactly its four task functions', () => {
    const statements = statementsOf('OrderWorkflowStateMachineRole');
    const invoke = statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    expect([...new Set(invoke.flatMap((s) => functionsReferenced(s.Resource)))].sort()).toEqual(
      TASK_FUNCTIONS.map((k) => logicalId(k).replace('LambdaFunction', '')).sort(),
    );
    for (const s of statements.filter((st) => !invoke.includes(st))) expect(s.Resource).toBe('*');
  });

  it('lets createOrder start only this state machine, and nothing else start any', () => {
    const starts = ofType('AWS::IAM::Role').flatMap(([id]) =>
      statementsOf(id)
        .filter((s) => actionsOf(s).some((a) => a.startsWith('states:')))
        .map((s) => [id, actionsOf(s), s.Resource]),
    );
    expect(starts).toEqual([
      ['CreateOrderRole', ['states:StartExecution'], { Ref: 'OrderWorkflowStateMachine' }],
    ]);
  });

  it('outputs the API URL, the state machine ARN and the table names', () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining([
        'HttpApiUrl',
        'OrderWorkflowStateMachineArn',
        'OrdersTableName',
        'CatalogTableName',
        'IdempotencyTableName',
        'OutboxTableName',
      ]),
    );
  });

  it('bundles each handler with its source map into a zip that loads on Node 24', () => {
    const sizes: string[] = [];
    for (const [key, handler] of Object.entries(FUNCTIONS)) {
      const zipPath = join(outDir, `${key}.zip`);
      const entries = readZip(readFileSync(zipPath));
      expect(entries.map((e) => e.name).sort()).toEqual([`${handler}.js`, `${handler}.js.map`]);
      sizes.push(`${key.padEnd(18)} ${(statSync(zipPath).size / 1024).toFixed(0).padStart(6)} KiB zipped`);

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
    expect(readdirSync(outDir).filter((f) => f.endsWith('.zip'))).toHaveLength(Object.keys(FUNCTIONS).length);
    console.log(`Lambda bundles (serverless package --stage ci):\n${sizes.join('\n')}`);
  });
});
