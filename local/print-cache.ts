import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The variable sources whose values are in the service folder or the environment; any other reads the outside. */
const LOCAL_SOURCES = new Set(['self', 'sls', 'opt', 'param', 'env', 'file']);

/**
 * One digest of everything `serverless print --stage <stage>` reads, so its output can be kept while none of it
 * changes: serverless.yml, each file its `${file(...)}` variables name (for a .js file, every file of its folder,
 * which it may read: load-asl.js reads the ASL beside it), package-lock.json (the framework and its plugins), and
 * the values of the `${env:...}` variables named. Undefined when serverless.yml takes a value from anywhere else
 * (`${ssm:...}`, `${cf:...}`, `${aws:...}`, ...): such a value can change with no file changing.
 */
export function printInputsDigest(
  stage: string,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const serverlessYml = readFileSync(join(cwd, 'serverless.yml'), 'utf8');
  const sources = [...serverlessYml.matchAll(/\$\{\s*([a-zA-Z][\w-]*)\s*(?::(?!:)|\()/g)].map((m) => m[1]);
  if (sources.some((source) => source !== undefined && !LOCAL_SOURCES.has(source))) return undefined;

  const hash = createHash('sha256').update(`stage=${stage}\n`).update(serverlessYml);
  const files = new Set<string>(['package-lock.json']);
  for (const [, path] of serverlessYml.matchAll(/\$\{file\(([^)]+)\)/g)) {
    if (!path) continue;
    files.add(path);
    if (/\.[cm]?js$/.test(path)) {
      const folder = dirname(path);
      for (const name of readdirSync(join(cwd, folder))) files.add(join(folder, name));
    }
  }
  for (const path of [...files].sort()) {
    const file = join(cwd, path);
    const content = existsSync(file) && statSync(file).isFile() ? readFileSync(file) : 'absent';
    hash.update(`\0${path}\0`).update(content);
  }
  const variables = new Set([...serverlessYml.matchAll(/\$\{env:([A-Za-z_]\w*)/g)].map((m) => m[1] ?? ''));
  for (const name of [...variables].sort()) hash.update(`\0env ${name}=${env[name] ?? ''}`);
  return hash.digest('hex');
}
