'use strict';
/**
 * Loads statemachines/<name>.asl.json, the one ASL source shared by deployment, the local engine and the tests.
 *
 * Task Resources are placeholders such as "${ValidateOrderFunctionArn}". serverless.yml uses `order` below, which
 * turns each into {"Fn::GetAtt": ["ValidateOrderLambdaFunction", "Arn"]}: serverless-step-functions then resolves
 * the ARN in CloudFormation and grants the state machine role lambda:InvokeFunction on exactly those functions.
 * (It does not accept definitionSubstitutions, and a bare "${...}" would be read as a Serverless variable.)
 */
const fs = require('node:fs');
const path = require('node:path');

const PLACEHOLDER = /^\$\{([A-Z][A-Za-z0-9]*)FunctionArn\}$/;

/** Reads and parses statemachines/<name>.asl.json. */
function readDefinition(name) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, `${name}.asl.json`), 'utf8'));
}

/** The function key a placeholder string names ("${ShipOrderFunctionArn}" -> "shipOrder"), else undefined. */
function functionKeyOf(value) {
  const match = typeof value === 'string' ? PLACEHOLDER.exec(value) : null;
  return match ? match[1].charAt(0).toLowerCase() + match[1].slice(1) : undefined;
}

/** Returns a deep copy of `value` with every placeholder string replaced by `resolveArn(functionKey)`. */
function replacePlaceholders(value, resolveArn) {
  if (Array.isArray(value)) return value.map((item) => replacePlaceholders(item, resolveArn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replacePlaceholders(item, resolveArn)]),
    );
  }
  const functionKey = functionKeyOf(value);
  return functionKey === undefined ? value : resolveArn(functionKey);
}

/** The function keys whose ARN placeholders occur in the definition, in order of first appearance. */
function listPlaceholders(name) {
  const keys = [];
  replacePlaceholders(readDefinition(name), (functionKey) => {
    if (!keys.includes(functionKey)) keys.push(functionKey);
    return functionKey;
  });
  return keys;
}

/** The ASL object with each placeholder replaced by what `resolveArn(functionKey)` returns (pure, for the local engine). */
function loadDefinition(name, resolveArn) {
  return replacePlaceholders(readDefinition(name), resolveArn);
}

/** CloudFormation logical id serverless gives a function key (validateOrder -> ValidateOrderLambdaFunction). */
function lambdaLogicalId(functionKey) {
  const normalized = functionKey.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}

/** The definition serverless.yml deploys: placeholders become Fn::GetAtt of the functions in this service. */
function cloudFormationDefinition(name) {
  return loadDefinition(name, (functionKey) => ({ 'Fn::GetAtt': [lambdaLogicalId(functionKey), 'Arn'] }));
}

module.exports = {
  // Resolved by `${file(statemachines/load-asl.js):order}`; osls calls the function when it reads the property.
  order: () => cloudFormationDefinition('order'),
  loadDefinition,
  listPlaceholders,
  functionKeyOf,
  lambdaLogicalId,
  cloudFormationDefinition,
};
