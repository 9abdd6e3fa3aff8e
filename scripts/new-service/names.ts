/** The names a service is spelled by, derived from its kebab-case name (`order-processing`). */
export interface ServiceNames {
  /** package name, serverless `service`, the prefix of every resource name: `order-processing`. */
  readonly kebab: string;
  /** Powertools metrics namespace and the base error class: `OrderProcessing`. */
  readonly pascal: string;
  /** Environment variables: `ORDER_PROCESSING`. */
  readonly upperSnake: string;
}

/**
 * The `service:` of a serverless.yml. The template's own is the name it spells itself with, replaced everywhere in
 * a generated service.
 */
export function serviceNameOf(serverlessYml: string): string {
  const name = /^service:\s*([a-z][a-z0-9-]*)\s*(?:#.*)?$/m.exec(serverlessYml)?.[1];
  if (name === undefined) throw new Error('serverless.yml has no `service: <name>` line');
  return name;
}

/** The longest stage name a generated service is checked for (`dev`, `staging`, `production`, `pr-1234`, ...). */
export const MAX_STAGE_LENGTH = 10;

/** Lambda's limit on a function name; serverless names each function `<service>-<stage>-<functionKey>`. */
const MAX_FUNCTION_NAME_LENGTH = 64;

/** Lowercase letters and digits in hyphen-separated words, starting with a letter: valid in every AWS resource name. */
const SERVICE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export function namesOf(kebab: string): ServiceNames {
  const words = kebab.split('-');
  return {
    kebab,
    pascal: words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(''),
    upperSnake: words.join('_').toUpperCase(),
  };
}

/**
 * Checks a service name: its characters, and that the longest Lambda function name serverless derives from it,
 * `<service>-<stage>-<functionKey>`, fits in 64 characters for a stage of up to MAX_STAGE_LENGTH characters.
 * Returns the problem as a sentence naming the offending name, or undefined when the name is fine.
 */
export function serviceNameProblem(name: string, functionKeys: readonly string[]): string | undefined {
  if (!SERVICE_NAME.test(name)) {
    return (
      `"${name}" is not a valid service name: use lowercase letters, digits and single hyphens between them, ` +
      'starting with a letter (e.g. "invoice-service"), as Lambda, CloudFormation and S3 names allow'
    );
  }
  const longestKey = [...functionKeys].sort((a, b) => b.length - a.length)[0];
  if (longestKey === undefined) return undefined;
  const stage = 's'.repeat(MAX_STAGE_LENGTH);
  const longest = `${name}-${stage}-${longestKey}`;
  if (longest.length <= MAX_FUNCTION_NAME_LENGTH) return undefined;
  const allowed = MAX_FUNCTION_NAME_LENGTH - longestKey.length - MAX_STAGE_LENGTH - 2;
  return (
    `"${name}" is too long: the function ${longestKey} would be named "${name}-<stage>-${longestKey}", ` +
    `${longest.length} characters with a ${MAX_STAGE_LENGTH}-character stage, over Lambda's ` +
    `${MAX_FUNCTION_NAME_LENGTH}; use at most ${allowed} characters`
  );
}

/** The function keys of a serverless.yml: the keys indented two spaces under its top-level `functions:`. */
export function functionKeysOf(serverlessYml: string): string[] {
  const keys: string[] = [];
  let inFunctions = false;
  for (const line of serverlessYml.split('\n')) {
    if (/^\S/.test(line)) inFunctions = /^functions:\s*(#.*)?$/.test(line);
    else if (inFunctions) {
      const key = /^ {2}([A-Za-z0-9_-]+):\s*(#.*)?$/.exec(line)?.[1];
      if (key !== undefined) keys.push(key);
    }
  }
  return keys;
}

/** Every spelling of the template's name (`from`) in a text, replaced by the new service's. */
export function renameService(text: string, names: ServiceNames, from: ServiceNames): string {
  return text
    .replaceAll(from.kebab, names.kebab)
    .replaceAll(from.pascal, names.pascal)
    .replaceAll(from.upperSnake, names.upperSnake);
}
