'use strict';
/**
 * A serverless plugin (serverless.yml `plugins: [./iam/function-roles]`): one IAM role per function, written from the
 * function's own `allow` list, so each function's permissions stand next to its handler and environment.
 *
 *   getOrder:
 *     handler: src/handlers/get-order.handler
 *     allow:
 *       - { Action: dynamodb:GetItem, Resource: !GetAtt OrdersTable.Arn }
 *
 * gives getOrder the role GetOrderRole: trusted by Lambda only, allowed to send X-Ray traces, to write the function's
 * own log group, and to do what `allow` lists; nothing else.
 *
 * Why not serverless-iam-roles-per-function (3.2.0): measured with osls 4.3.1, it keeps the shared
 * IamRoleLambdaExecution role in the stack (logs on every function's group), drops the X-Ray statement from every
 * function's role and adds logs:CreateLogGroup to each.
 */

/** X-Ray's write actions support no resource-level permissions: "*" is the only valid resource. */
const XRAY_WRITE = {
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: '*',
};

const LAMBDA_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** What a function's `allow` entry may say: only Allow statements, so no Effect is written. */
const ALLOW_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      Action: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      Resource: {},
    },
    required: ['Action', 'Resource'],
    additionalProperties: false,
  },
};

/** createOrder -> create-order: the role's policy name. */
const kebab = (key) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * The CloudFormation role of one function. `naming` is the provider's (logical ids as serverless derives them).
 */
function functionRole(functionKey, allow, naming) {
  const statements = [
    XRAY_WRITE,
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [naming.getLogGroupLogicalId(functionKey), 'Arn'] },
    },
    ...allow.map(({ Action, Resource }) => ({ Effect: 'Allow', Action, Resource })),
  ];
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: LAMBDA_TRUST,
      Policies: [
        {
          PolicyName: kebab(functionKey),
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        },
      ],
    },
  };
}

/** The role's logical id: createOrder -> CreateOrderRole. */
function roleLogicalId(functionKey, naming) {
  return `${naming.getNormalizedFunctionName(functionKey)}Role`;
}

class FunctionRoles {
  constructor(serverless) {
    this.serverless = serverless;
    serverless.configSchemaHandler.defineFunctionProperties('aws', { properties: { allow: ALLOW_SCHEMA } });
    // Before osls decides whether it needs its shared role: a function with a role of its own needs none.
    this.hooks = { 'before:package:setupProviderConfiguration': () => this.addRoles() };
  }

  addRoles() {
    const { service } = this.serverless;
    const naming = this.serverless.getProvider('aws').naming;
    service.resources ??= {};
    service.resources.Resources ??= {};
    for (const key of service.getAllFunctions()) {
      const fn = service.getFunction(key);
      if (fn.allow === undefined) continue;
      if (fn.role !== undefined) {
        throw new this.serverless.classes.Error(
          `Function ${key}: give it either a role or an allow list, not both`,
        );
      }
      const roleId = roleLogicalId(key, naming);
      service.resources.Resources[roleId] = functionRole(key, fn.allow, naming);
      fn.role = roleId;
    }
  }
}

module.exports = FunctionRoles;
module.exports.functionRole = functionRole;
module.exports.roleLogicalId = roleLogicalId;
