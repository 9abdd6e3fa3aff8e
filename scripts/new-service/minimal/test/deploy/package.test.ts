import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServiceConfig } from '../../local';
import { cloudFormationDefinition } from '../../statemachines/load-asl';

/**
 * `serverless package --stage ci` once, then checks the CloudFormation it would deploy. No AWS account needed.
 * The functions come from serverless.yml itself (`serverless print`, local/serverless-config.ts).
 */

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
interface Template {
  Resources: Record<string, Resource>;
}

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
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
/** serverless.yml's function keys. */
let functionKeys: string[];

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
/** What a function's role allows beyond X-Ray and its own log group. */
function grantsOf(functionKey: string): Statement[] {
  return statementsOf(roleOf(functionKey)).filter(
    (s) => !actionsOf(s).some((a) => a.startsWith('xray:') || a.startsWith('logs:')),
  );
}

beforeAll(async () => {
  // node_modules/.bin first, so the framework and esbuild run on the project's Node 24.
  const PATH = `${BIN}:${process.env.PATH ?? ''}`;
  functionKeys = Object.keys((await readServiceConfig('ci', ROOT, { PATH })).functions);
  outDir = mkdtempSync(join(tmpdir(), 'package-test-'));
  execFileSync(join(BIN, 'serverless'), ['package', '--stage', 'ci', '--package', outDir], {
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
  it('deploys process.asl.json unchanged, SaveItem invoking the saveItem function', () => {
    const machine = resource('ProcessWorkflowStateMachine').Properties;

    expect(JSON.stringify(machine.DefinitionString)).toContain('SaveItemLambdaFunction');
    expect(cloudFormationDefinition('process')).toMatchObject({ StartAt: 'SaveItem' });
  });

  it('requires the customer JWT on POST /items', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties);
    const [authorizerId] = ofType('AWS::ApiGatewayV2::Authorizer')[0] ?? [];

    expect(routes).toEqual([
      expect.objectContaining({
        RouteKey: 'POST /items',
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      }),
    ]);
  });

  it('gives each function its own role and creates no shared Lambda role', () => {
    const roles = functionKeys.map(roleOf);
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
    for (const key of functionKeys) {
      const logStatements = statementsOf(roleOf(key)).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('logs:')),
      );
      expect(logStatements.flatMap(resourcesOf)).toEqual([
        { 'Fn::GetAtt': [`${logicalId(key).replace('LambdaFunction', '')}LogGroup`, 'Arn'] },
      ]);
    }
  });

  it('lets createItem only start the process workflow, and saveItem only put into the items table', () => {
    expect(grantsOf('createItem')).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: 'ProcessWorkflowStateMachine' } },
    ]);
    expect(grantsOf('saveItem')).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': ['ItemsTable', 'Arn'] } },
    ]);
  });

  it('lets the process workflow invoke exactly saveItem', () => {
    const roles = ofType('AWS::IAM::Role').filter(([id]) => !functionKeys.map(roleOf).includes(id));
    const invoke = roles
      .flatMap(([id]) => statementsOf(id))
      .filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));

    expect(invoke.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(invoke.flatMap(resourcesOf))).toContain('SaveItemLambdaFunction');
    expect(JSON.stringify(invoke.flatMap(resourcesOf))).not.toContain('CreateItemLambdaFunction');
  });
});
