/**
 * `--minimal`: which of the template's tracked files a minimal service keeps, and how the few shared files that
 * name the order domain change. The minimal service's own files (its src/, state machine, serverless.yml, tests
 * and README) are in scripts/new-service/minimal/, laid out as in the new project, and win over tracked files.
 */

/** Where the minimal service's own files are, relative to the repository root. */
export const MINIMAL_DIR = 'scripts/new-service/minimal';

/** Kept whole: the local cloud with its workflow kit (local/), the tooling. The rest of the order service is dropped. */
const KEEP = [
  /^\.ci\//,
  /^\.(gitignore|nvmrc|prettierignore|prettierrc\.json)$/,
  /^(LICENSE|eslint\.config\.mjs|jest\.config\.ts|tsconfig\.json|package\.json|package-lock\.json)$/,
  /^docs\/local-lambda\.md$/,
  /^iam\//,
  /^local\//,
  /^statemachines\/load-asl\.(js|d\.ts)$/,
  /^src\/shared\//,
  /^src\/handlers\/http\/(customer|http-error|json-body|responses)\.ts$/,
  /^scripts\/token\.ts$/,
  /^test\/workflow\/quiet-powertools\.ts$/,
  /^test\/unit\/shared\//,
  /^test\/unit\/support\/quiet-powertools\.ts$/,
  /^test\/e2e\/support\/global-teardown\.ts$/,
];

/** Whether a tracked file of the template goes into a minimal service. */
export function minimalFileFilter(path: string): boolean {
  return KEEP.some((pattern) => pattern.test(path));
}

/** Scripts that run the order domain (seed its catalog, load it, benchmark its workflow). */
const ORDER_SCRIPTS = ['seed', 'bench', 'load'];

/**
 * The minimal service's version of a kept file: changed where it names the order service, undefined to drop it.
 * Each change is a replacement that must still match, so a change to the template that breaks one fails loudly
 * (the generation test runs this) rather than leaving an order behind.
 */
export function patchMinimalFile(path: string, text: string): string | undefined {
  switch (path) {
    case 'package.json':
      return patchPackageJson(text);
    case 'statemachines/load-asl.d.ts':
      // The per-machine exports are generated from statemachines/*.asl.json; declare the minimal service's one.
      return replaceOnce(
        path,
        text,
        /\/\*\* serverless\.yml's `\$\{file\(statemachines\/load-asl\.js\):order\}`[\s\S]*?export function fulfilment\(\): AslDefinition;\n/,
        "/** serverless.yml's `${file(statemachines/load-asl.js):process}`: the process workflow as deployed. */\n" +
          'export function process(): AslDefinition;\n',
      );
    default:
      return text;
  }
}

function patchPackageJson(text: string): string {
  const pkg = JSON.parse(text) as {
    description?: string;
    scripts?: Record<string, string>;
    [key: string]: unknown;
  };
  pkg.description =
    'A serverless service on AWS: an HTTP API starts a Step Functions workflow whose Lambda task writes to ' +
    'DynamoDB. Runs and tests offline with no AWS account.';
  for (const script of ORDER_SCRIPTS) delete pkg.scripts?.[script];
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function replaceOnce(path: string, text: string, pattern: string | RegExp, replacement: string): string {
  const found = typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
  if (!found) {
    throw new Error(
      `--minimal: ${path} no longer contains ${String(pattern)}; update scripts/new-service/minimal.ts`,
    );
  }
  return text.replace(pattern, () => replacement);
}
