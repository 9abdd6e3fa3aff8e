/**
 * JSONata in Step Functions: `{% expression %}` strings at any depth of Arguments, Output, Assign, Items,
 * ItemSelector, Condition and the Wait/Fail/Map fields, evaluated with JSONata 2.0.6 and AWS's bindings
 * (`$states`, the workflow variables, AWS's added functions). Failures are States.QueryEvaluationError with the
 * cause AWS writes, naming the field (`Output/result`) and the expression.
 */
import jsonata from 'jsonata';
import { isObject, type Json } from '../definition';
import { registerAwsFunctions } from './functions';

/** A JSONata expression failed or gave a value the field cannot take. */
export class QueryEvaluationError extends Error {
  override name = 'States.QueryEvaluationError';
}

/** Whether a string is a `{% ... %}` expression. */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && /^\{%[\s\S]*%\}$/.test(value);
}

/** The text between `{%` and `%}`, trimmed, as AWS quotes it in causes. */
export function expressionText(value: string): string {
  return value.slice(2, -2).trim();
}

const compiled = new Map<string, jsonata.Expression>();

function compile(text: string, field: string): jsonata.Expression {
  let expression = compiled.get(text);
  if (!expression) {
    try {
      expression = jsonata(text);
    } catch (error) {
      throw new QueryEvaluationError(
        `The JSONata expression '${text}' specified for the field '${field}' could not be parsed. ${messageOf(error)}`,
      );
    }
    registerAwsFunctions(expression);
    compiled.set(text, expression);
  }
  return expression;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The bindings of one evaluation: `$states` and the variables in scope. */
export interface JsonataBindings {
  states: Record<string, Json | undefined>;
  variables: Record<string, Json>;
}

/** The value a JSONata expression gave, or `undefined` (the expression returned nothing). */
export async function evaluateExpression(
  value: string,
  field: string,
  bindings: JsonataBindings,
): Promise<Json> {
  const text = expressionText(value);
  const expression = compile(text, field);
  const states = Object.fromEntries(Object.entries(bindings.states).filter(([, v]) => v !== undefined));
  let result: unknown;
  try {
    result = (await expression.evaluate(states.input ?? null, {
      ...bindings.variables,
      states,
    })) as unknown;
  } catch (error) {
    // AWS: ". T2001: <message>" after a JSONata error code, ": <message>" otherwise.
    const code = (error as { code?: unknown }).code;
    const tail = typeof code === 'string' ? `. ${code}: ${messageOf(error)}` : `: ${messageOf(error)}`;
    throw new QueryEvaluationError(
      `The JSONata expression '${text}' specified for the field '${field}' threw an error during evaluation${tail}`,
    );
  }
  if (result === undefined) {
    throw new QueryEvaluationError(
      `The JSONata expression '${text}' specified for the field '${field}' returned nothing (undefined).`,
    );
  }
  const json = toJson(result);
  if (json === undefined) {
    throw new QueryEvaluationError(
      `The JSONata expression '${text}' specified for the field '${field}' returned an unsupported result type.`,
    );
  }
  return json;
}

/**
 * Resolves a JSONata template: every `{% %}` string, at any depth, is replaced by its value; other values are
 * kept as written. `field` names the template's field (`Output`), nested keys extend it (`Output/result`).
 */
export async function evaluateTemplate(
  template: Json,
  field: string,
  bindings: JsonataBindings,
): Promise<Json> {
  if (isJsonataExpression(template)) return evaluateExpression(template, field, bindings);
  if (Array.isArray(template)) {
    const out: Json[] = [];
    for (const [i, item] of template.entries())
      out.push(await evaluateTemplate(item, `${field}[${i}]`, bindings));
    return out;
  }
  if (isObject(template)) {
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(template))
      out[key] = await evaluateTemplate(item, `${field}/${key}`, bindings);
    return out;
  }
  return template;
}

/** JSONata's values as JSON: sequences become arrays; functions (and anything else) are not JSON. */
function toJson(value: unknown): Json | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    const items: Json[] = [];
    for (const item of value as unknown[]) {
      if (item === undefined) continue;
      const json = toJson(item);
      if (json === undefined) return undefined;
      items.push(json);
    }
    return items;
  }
  if (typeof value === 'object') {
    if ((value as { _jsonata_lambda?: unknown })._jsonata_lambda) return undefined;
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      const json = toJson(item);
      if (json === undefined) return undefined;
      out[key] = json;
    }
    return out;
  }
  return undefined;
}

/** AWS's name of a JSON value's type, as its causes print it ('array', 'object', 'null', ...). */
export function jsonTypeName(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
