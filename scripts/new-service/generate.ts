import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { MINIMAL_DIR, minimalFileFilter, patchMinimalFile } from './minimal';
import {
  functionKeysOf,
  namesOf,
  renameService,
  serviceNameOf,
  serviceNameProblem,
  type ServiceNames,
} from './names';

export interface GenerateOptions {
  /** This repository (its tracked files are the template). */
  readonly sourceDir: string;
  /** The new project folder: created, or an empty one. */
  readonly targetDir: string;
  /** The new service's name, e.g. `invoice-service`. */
  readonly name: string;
  /** Keep the skeleton only (one HTTP route, one state machine, one task, one table), without the order domain. */
  readonly minimal?: boolean;
  /** Create the git repository and its first commit (default true). */
  readonly gitInit?: boolean;
}

export interface GeneratedService {
  readonly targetDir: string;
  readonly names: ServiceNames;
  /** Paths of the files written, relative to targetDir. */
  readonly files: readonly string[];
}

/** Files of the template that are about making services, not about being one. */
const GENERATOR_FILES = [/^scripts\/new-service\//, /^test\/template\//, /^test\/unit\/scripts\/new-service/];

/** A typed, user-facing failure (bad name, target not empty): the CLI prints its message without a stack. */
export class NewServiceError extends Error {
  override readonly name = 'NewServiceError';
}

/**
 * Creates a new service from this repository's tracked files (`git ls-files`: no build output, no .local data, no
 * node_modules), every spelling of the template's name (serverless.yml's `service`) renamed, in a fresh git
 * repository with one commit.
 */
export function generateService(options: GenerateOptions): GeneratedService {
  const { sourceDir, targetDir, minimal = false } = options;
  const files = new Map<string, Buffer>();
  for (const path of trackedFiles(sourceDir)) {
    if (GENERATOR_FILES.some((pattern) => pattern.test(path))) continue;
    if (minimal && !minimalFileFilter(path)) continue;
    const file = join(sourceDir, path);
    if (!existsSync(file)) continue; // deleted in the working tree, not yet committed
    files.set(path, readFileSync(file));
  }
  const packageJson = files.get('package.json');
  if (packageJson)
    files.set('package.json', Buffer.from(withoutGeneratorScript(packageJson.toString('utf8'))));
  if (minimal) {
    for (const path of filesUnder(join(sourceDir, MINIMAL_DIR))) {
      files.set(path, readFileSync(join(sourceDir, MINIMAL_DIR, path)));
    }
    for (const [path, content] of files) {
      if (isText(content)) {
        const patched = patchMinimalFile(path, content.toString('utf8'));
        if (patched === undefined) files.delete(path);
        else files.set(path, Buffer.from(patched, 'utf8'));
      }
    }
  }

  const serverlessYml = files.get('serverless.yml')?.toString('utf8') ?? '';
  const problem = serviceNameProblem(options.name, functionKeysOf(serverlessYml));
  if (problem) throw new NewServiceError(problem);
  assertEmptyTarget(targetDir);

  const names = namesOf(options.name);
  const template = namesOf(serviceNameOf(readFileSync(join(sourceDir, 'serverless.yml'), 'utf8')));
  mkdirSync(targetDir, { recursive: true });
  const renamed: string[] = [];
  for (const [path, content] of files) {
    const out = join(targetDir, path);
    mkdirSync(dirname(out), { recursive: true });
    const text = isText(content) ? content.toString('utf8') : undefined;
    const written = text === undefined ? content : renameService(text, names, template);
    writeFileSync(out, written);
    if (text !== undefined && written !== text) renamed.push(path);
    if (path === '.ci/run') copyMode(join(sourceDir, path), out);
  }
  formatRenamed(sourceDir, targetDir, renamed);
  if (options.gitInit !== false) initRepository(targetDir, options.name, template.kebab, minimal);
  return { targetDir, names, files: [...files.keys()].sort() };
}

/**
 * A name of another length moves line breaks: Prettier (this repository's, with the copied config) formats what the
 * renaming changed, so the new service's `npm run lint` passes whatever its name.
 */
function formatRenamed(sourceDir: string, targetDir: string, paths: string[]): void {
  if (paths.length === 0) return;
  const prettier = join(sourceDir, 'node_modules', '.bin', 'prettier');
  execFileSync(prettier, ['--write', '--ignore-unknown', '--log-level=warn', ...paths], {
    cwd: targetDir,
    stdio: 'pipe',
  });
}

/** The new service does not make services: no `new-service` script. */
function withoutGeneratorScript(text: string): string {
  const pkg = JSON.parse(text) as { scripts?: Record<string, string> };
  delete pkg.scripts?.['new-service'];
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function trackedFiles(sourceDir: string): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: sourceDir, encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\0')
    .filter((path) => path !== '');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** Binary files (docs/console.png) are copied as they are; text has no NUL byte. */
function isText(content: Buffer): boolean {
  return !content.subarray(0, 8000).includes(0);
}

function copyMode(from: string, to: string) {
  chmodSync(to, statSync(from).mode & 0o777);
}

function assertEmptyTarget(targetDir: string) {
  if (!existsSync(targetDir)) return;
  if (!statSync(targetDir).isDirectory())
    throw new NewServiceError(`${targetDir} exists and is not a folder`);
  if (readdirSync(targetDir).length > 0) throw new NewServiceError(`${targetDir} is not empty`);
}

function initRepository(targetDir: string, name: string, templateName: string, minimal: boolean) {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: targetDir, stdio: 'pipe' });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  // A machine without a git identity (a CI box) still gets its commit; the user's own identity wins when set.
  const identity = gitIdentityMissing(targetDir)
    ? ['-c', 'user.name=new-service', '-c', 'user.email=new-service@localhost']
    : [];
  const template = minimal
    ? `the minimal skeleton of the ${templateName} template`
    : `the ${templateName} template`;
  git(...identity, 'commit', '--quiet', '-m', `${name}: generated from ${template}`);
}

function gitIdentityMissing(cwd: string): boolean {
  try {
    execFileSync('git', ['config', 'user.email'], { cwd, stdio: 'pipe' });
    return false;
  } catch {
    return true;
  }
}
