/**
 * `npm run new-service` end to end: generates both variants into a temporary folder and runs their own lint, type
 * check, unit and workflow tests there. node_modules is this repository's (a symlink), so no `npm ci`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateService, type GeneratedService } from '../../scripts/new-service/generate';
import { namesOf, renameService, serviceNameOf } from '../../scripts/new-service/names';

const ROOT = join(__dirname, '../..');
const run = promisify(execFile);
/**
 * The template's name (serverless.yml's `service`) as identifiers spell it; prose such as "serverless order
 * processing" describes the domain.
 */
const TEMPLATE = namesOf(serviceNameOf(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')));
const NAME_SPELLINGS = [TEMPLATE.kebab.replaceAll('-', '[-_]'), TEMPLATE.pascal, TEMPLATE.upperSnake].join(
  '|',
);
/** The service's own files inside local/ (local/README.md): a new service replaces them. */
const SERVICE_FILES_IN_LOCAL = ['local/seed.ts', 'local/sample-requests.ts'];
/** Lint, type check and tests of a whole service: minutes on a slow shared machine. */
const SLOW = 600_000;

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'new-service-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs an npm script or a binary of node_modules/.bin in the generated service; rejects with its output. */
async function inService(service: GeneratedService, command: string, ...args: string[]): Promise<string> {
  const bin = join(ROOT, 'node_modules/.bin');
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd: service.targetDir,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, FORCE_COLOR: '0' },
      maxBuffer: 64 << 20,
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${service.targetDir}:\n${stdout}\n${stderr}`);
  }
}

function generate(name: string, minimal: boolean): GeneratedService {
  const service = generateService({ sourceDir: ROOT, targetDir: join(workDir, name), name, minimal });
  symlinkSync(join(ROOT, 'node_modules'), join(service.targetDir, 'node_modules'), 'dir');
  return service;
}

describe.each([
  // A name shorter than the template's: the renaming moves line breaks, which the generator must format.
  ['the full service', 'shop', false],
  ['the minimal service', 'widget-service', true],
] as const)('npm run new-service: %s', (_variant, name, minimal) => {
  let service: GeneratedService;
  beforeAll(() => {
    service = generate(name, minimal);
  });
  const read = (path: string) => readFileSync(join(service.targetDir, path), 'utf8');

  it('renames every spelling of order-processing and commits the files once in a fresh repository', async () => {
    // git grep exits 1 when it finds nothing.
    const leftovers = await inService(service, 'git', 'grep', '-n', '-E', NAME_SPELLINGS).catch(() => '');
    const log = await inService(service, 'git', 'log', '--format=%s');
    const tracked = (await inService(service, 'git', 'ls-files')).trim().split('\n');

    expect(leftovers).toBe('');
    expect(log.trim().split('\n')).toHaveLength(1);
    expect(tracked.sort()).toEqual([...service.files]);
    expect(read('package.json')).toContain(`"name": "${name}"`);
    expect(read('serverless.yml')).toContain(`service: ${name}\n`);
    expect(read('serverless.yml')).toContain(`POWERTOOLS_METRICS_NAMESPACE: ${service.names.pascal}\n`);
    // Powertools reads its service name from there (src/shared/powertools.ts names none).
    expect(read('serverless.yml')).toContain('POWERTOOLS_SERVICE_NAME: ${self:service}\n');
    expect(read('README.md')).toMatch(new RegExp(`^# ${name}\n`));
    expect(
      tracked.filter((path) => /^(scripts\/new-service|test\/template)\/|new-service/.test(path)),
    ).toEqual([]);
  });

  it('gets the local cloud and its workflow kit intact: every file of local/, renamed only', () => {
    const product = execFileSync('git', ['ls-files', 'local'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(
        (path) => path !== '' && !SERVICE_FILES_IN_LOCAL.includes(path) && existsSync(join(ROOT, path)),
      );

    expect(product).toContain('local/testkit/run-workflow.ts');
    for (const path of product) {
      expect(read(path)).toBe(renameService(readFileSync(join(ROOT, path), 'utf8'), service.names, TEMPLATE));
    }
  });

  it(
    'passes its own lint and type check',
    async () => {
      // inService rejects on a non-zero exit; tsc prints nothing when it finds nothing.
      await expect(inService(service, 'npm', 'run', '-s', 'lint')).resolves.toContain(
        'All matched files use Prettier code style!',
      );
      await expect(inService(service, 'npm', 'run', '-s', 'typecheck')).resolves.toBe('');
    },
    SLOW,
  );

  it(
    'passes its own unit and workflow tests, the ASL coverage gate included',
    async () => {
      const output = await inService(service, 'jest', '--selectProjects', 'unit', 'workflow');

      expect(output).toMatch(/ASL coverage \w+: states \d+\/\d+ \(100%\)/);
      expect(output).not.toMatch(/\(\d{1,2}%\)/);
    },
    SLOW,
  );

  if (minimal) {
    it('keeps only the skeleton: one route, one machine, one table, no order domain', () => {
      expect(service.files.filter((path) => path.startsWith('statemachines/'))).toEqual([
        'statemachines/load-asl.d.ts',
        'statemachines/load-asl.js',
        'statemachines/process.asl.json',
      ]);
      expect(service.files.filter((path) => /order|fulfilment|catalog|shipment|payment/i.test(path))).toEqual(
        [],
      );
      expect(read('serverless.yml').match(/Type: AWS::DynamoDB::Table/g)).toHaveLength(1);
    });
  }
});

describe('npm run new-service: refusals', () => {
  it('refuses a folder that is not empty, and writes nothing', () => {
    const target = join(workDir, 'taken');
    generateService({
      sourceDir: ROOT,
      targetDir: target,
      name: 'taken-service',
      minimal: true,
      gitInit: false,
    });

    expect(() => generateService({ sourceDir: ROOT, targetDir: target, name: 'other-service' })).toThrow(
      `${target} is not empty`,
    );
  });

  it('refuses an invalid name before it writes anything', () => {
    const target = join(workDir, 'never');

    expect(() => generateService({ sourceDir: ROOT, targetDir: target, name: 'Bad_Name' })).toThrow(
      /"Bad_Name" is not a valid service name/,
    );
    expect(existsSync(target)).toBe(false);
  });
});
