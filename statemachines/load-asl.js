'use strict';
/**
 * Loads statemachines/<name>.asl.json, the one ASL source shared by deployment, the local engine and the tests.
 *
 * ARNs are placeholders of two kinds:
 * - "${ValidateOrderFunctionArn}": a function of this service (function key `validateOrder`). For CloudFormation it
 *   becomes {"Fn::GetAtt": ["ValidateOrderLambdaFunction", "Arn"]}, from which serverless-step-functions also derives
 *   the state machine role's lambda:InvokeFunction on exactly those functions.
 * - "${OrdersTableName}": a table of this service (custom.tables key `orders`, resource `OrdersTable`): for
 *   CloudFormation {"Ref": "OrdersTable"}, the table's name (for DynamoDB service integrations).
 * - "${FulfilmentStateMachineArn}": another state machine of this service, named after its ASL file
 *   (`fulfilment`, serverless.yml key `fulfilmentWorkflow`). For CloudFormation it becomes
 *   {"Ref": "FulfilmentWorkflowStateMachine"} (the Ref of a state machine is its ARN).
 * (serverless-step-functions does not accept definitionSubstitutions, and a bare "${...}" would be read as a
 * Serverless variable, hence the JavaScript.)
 */
const fs = require('node:fs');
const path = require('node:path');

const FUNCTION_PLACEHOLDER = /^\$\{([A-Z][A-Za-z0-9]*)FunctionArn\}$/;
const STATE_MACHINE_PLACEHOLDER = /^\$\{([A-Z][A-Za-z0-9]*)StateMachineArn\}$/;
const TABLE_PLACEHOLDER = /^\$\{([A-Z][A-Za-z0-9]*)TableName\}$/;

/** Reads and parses statemachines/<name>.asl.json. */
function readDefinition(name) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, `${name}.asl.json`), 'utf8'));
}

const lowerFirst = (text) => text.charAt(0).toLowerCase() + text.slice(1);
const upperFirst = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** The function key a placeholder string names ("${ShipOrderFunctionArn}" -> "shipOrder"), else undefined. */
function functionKeyOf(value) {
  const match = typeof value === 'string' ? FUNCTION_PLACEHOLDER.exec(value) : null;
  return match ? lowerFirst(match[1]) : undefined;
}

/** The state machine a placeholder names ("${FulfilmentStateMachineArn}" -> "fulfilment"), else undefined. */
function stateMachineKeyOf(value) {
  const match = typeof value === 'string' ? STATE_MACHINE_PLACEHOLDER.exec(value) : null;
  return match ? lowerFirst(match[1]) : undefined;
}

/** The table a placeholder names ("${OrdersTableName}" -> "orders", serverless.yml custom.tables key), else undefined. */
function tableKeyOf(value) {
  const match = typeof value === 'string' ? TABLE_PLACEHOLDER.exec(value) : null;
  return match ? lowerFirst(match[1]) : undefined;
}

/**
 * Returns a deep copy of `value` with every placeholder string replaced by `resolveArn(key, kind)`, kind being
 * 'function' (key = function key) or 'stateMachine' (key = ASL file name).
 */
function replacePlaceholders(value, resolveArn) {
  if (Array.isArray(value)) return value.map((item) => replacePlaceholders(item, resolveArn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replacePlaceholders(item, resolveArn)]),
    );
  }
  const functionKey = functionKeyOf(value);
  if (functionKey !== undefined) return resolveArn(functionKey, 'function');
  const machine = stateMachineKeyOf(value);
  if (machine !== undefined) return resolveArn(machine, 'stateMachine');
  const table = tableKeyOf(value);
  return table === undefined ? value : resolveArn(table, 'table');
}

/** The keys of one kind of placeholder that occur in the definition, in order of first appearance. */
function listKeys(name, wanted) {
  const keys = [];
  replacePlaceholders(readDefinition(name), (key, kind) => {
    if (kind === wanted && !keys.includes(key)) keys.push(key);
    return key;
  });
  return keys;
}

/** The function keys whose ARN placeholders occur in the definition, in order of first appearance. */
function listPlaceholders(name) {
  return listKeys(name, 'function');
}

/** The state machines (ASL file names) whose ARN placeholders occur in the definition. */
function listStateMachinePlaceholders(name) {
  return listKeys(name, 'stateMachine');
}

/**
 * The ASL object with each placeholder replaced by what `resolveArn(key, kind)` returns (pure, for the local engine
 * and the tests). A resolver written for functions only still works for definitions without state machine
 * placeholders.
 */
function loadDefinition(name, resolveArn) {
  return replacePlaceholders(readDefinition(name), resolveArn);
}

/** CloudFormation logical id serverless gives a function key (validateOrder -> ValidateOrderLambdaFunction). */
function lambdaLogicalId(functionKey) {
  const normalized = functionKey.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${upperFirst(normalized)}LambdaFunction`;
}

/** CloudFormation logical id of a state machine (fulfilment -> FulfilmentWorkflowStateMachine, see serverless.yml). */
function stateMachineLogicalId(machine) {
  return `${upperFirst(machine)}WorkflowStateMachine`;
}

/** CloudFormation logical id of a table (orders -> OrdersTable, see serverless.yml resources). */
function tableLogicalId(table) {
  return `${upperFirst(table)}Table`;
}

/**
 * The definition serverless.yml deploys: Fn::GetAtt of this service's functions, Ref of its state machines (their
 * ARN) and of its tables (their name).
 */
function cloudFormationDefinition(name) {
  return loadDefinition(name, (key, kind) => {
    if (kind === 'stateMachine') return { Ref: stateMachineLogicalId(key) };
    if (kind === 'table') return { Ref: tableLogicalId(key) };
    return { 'Fn::GetAtt': [lambdaLogicalId(key), 'Arn'] };
  });
}

/**
 * One export per statemachines/<name>.asl.json (order, fulfilment), resolved by
 * `${file(statemachines/load-asl.js):<name>}`; osls calls the function when it reads the property.
 */
const definitions = Object.fromEntries(
  fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => file.slice(0, -'.asl.json'.length))
    .map((name) => [name, () => cloudFormationDefinition(name)]),
);

module.exports = {
  ...definitions,
  loadDefinition,
  listPlaceholders,
  listStateMachinePlaceholders,
  functionKeyOf,
  stateMachineKeyOf,
  tableKeyOf,
  lambdaLogicalId,
  tableLogicalId,
  stateMachineLogicalId,
  cloudFormationDefinition,
};
