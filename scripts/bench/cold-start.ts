/**
 * Cold start per handler: the deploy bundle (serverless.yml's custom.esbuild) next to a floor bundle that only
 * loads the AWS SDK clients and commands the handler itself bundles, both timed in fresh Node processes.
 */
import { localStateMachineArn } from '../../local';
import { build, type Metafile } from 'esbuild';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchConfig } from './config';
import { run } from './util';

const ROOT = join(__dirname, '..', '..');
/** Node 24 from node_modules, the runtime the functions deploy on (nodejs24.x). */
const NODE = join(ROOT, 'node_modules', '.bin', 'node');

export interface HandlerResult {
  name: string;
  bundleBytes: number;
  floorBundleBytes: number;
  initMs: number;
  floorInitMs: number;
  /** The AWS SDK packages and commands the floor loads. */
  floorImports: string[];
  /** The heaviest inputs of the handler's bundle (bytes in the output), by package. */
  topInputs: { input: string; bytes: number }[];
}

interface Bundle {
  file: string;
  bytes: number;
  metafile: Metafile;
}

/** Requires the bundle and takes `handler`; prints the milliseconds that took. */
const INIT_PROBE = `const t=process.hrtime.bigint();const h=require(process.argv[1]).handler;
if(typeof h!=='function')throw new Error('no handler export');
process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;

/**
 * Writes each handler's deploy bundle to `<dir>/<function key>/index.js` (kept: the in-process measurements run
 * them) and its floor beside it, then times both. All handlers build in one esbuild run and all floors in another
 * (each entry still its own complete bundle): the SDK is parsed once instead of 28 times.
 */
export async function measureColdStarts(
  config: BenchConfig,
  options: { runs: number; dir: string; log: (line: string) => void },
): Promise<HandlerResult[]> {
  const { dir } = options;
  const keys = Object.keys(config.functions);
  const handlers = await bundleAll(
    config,
    dir,
    Object.fromEntries(
      Object.entries(config.functions).map(([key, fn]) => [
        `${key}/index`,
        join(ROOT, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`),
      ]),
    ),
  );
  const imports = new Map(keys.map((key) => [key, sdkImports(handler(handlers, key, 'index').metafile)]));
  for (const key of keys) {
    mkdirSync(join(dir, key), { recursive: true });
    writeFileSync(join(dir, key, 'floor.ts'), floorSource(imports.get(key) ?? []));
  }
  const floors = await bundleAll(
    config,
    dir,
    Object.fromEntries(keys.map((key) => [`${key}/floor`, join(dir, key, 'floor.ts')])),
  );
  const results: HandlerResult[] = [];
  for (const key of keys) {
    const bundle = handler(handlers, key, 'index');
    const floor = handler(floors, key, 'floor');
    const [initMs, floorInitMs] = await timeInits(
      [bundle.file, floor.file],
      lambdaEnvironment(config, key),
      options.runs,
    );
    results.push({
      name: key,
      bundleBytes: bundle.bytes,
      floorBundleBytes: floor.bytes,
      initMs,
      floorInitMs,
      floorImports: (imports.get(key) ?? []).map((p) => `${p.pkg} {${[p.client, ...p.commands].join(', ')}}`),
      topInputs: topInputs(bundle.metafile),
    });
    options.log(
      `  ${key}: ${bundle.bytes} B, ${initMs.toFixed(1)} ms (floor ${floor.bytes} B, ${floorInitMs.toFixed(1)} ms)`,
    );
  }
  return results;
}

/** One esbuild run over named entries (`<key>/<name>` -> source), with serverless.yml's options. */
async function bundleAll(
  config: BenchConfig,
  dir: string,
  entryPoints: Record<string, string>,
): Promise<Metafile> {
  const result = await build({
    ...config.esbuild,
    entryPoints,
    outdir: dir,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  return result.metafile;
}

/** One entry's output of a multi-entry build, as a metafile of its own. */
function handler(metafile: Metafile, key: string, name: string): Bundle {
  const found = Object.entries(metafile.outputs).find(([file]) => file.endsWith(`/${key}/${name}.js`));
  if (!found) throw new Error(`esbuild wrote no ${key}/${name}.js`);
  const [file, output] = found;
  return {
    file: join(ROOT, file),
    bytes: statSync(join(ROOT, file)).size,
    metafile: { inputs: metafile.inputs, outputs: { [file]: output } },
  };
}

interface SdkImport {
  pkg: string;
  client: string;
  commands: string[];
}

/** The AWS SDK clients (and their commands) a handler's bundle contains, read from its metafile. */
function sdkImports(metafile: Metafile): SdkImport[] {
  const byPackage = new Map<string, Set<string>>();
  // Output inputs with bytes: what survived tree shaking (metafile.inputs lists every file parsed).
  const used = Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) => (bytesInOutput > 0 ? [input] : [])),
  );
  for (const input of used) {
    const match = /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\/(.*)$/.exec(input);
    if (!match?.[1]) continue;
    const commands = byPackage.get(match[1]) ?? new Set<string>();
    byPackage.set(match[1], commands);
    const command = /commands\/(\w+Command)\.js$/.exec(match[2] ?? '')?.[1];
    if (command) commands.add(command);
  }
  return [...byPackage].map(([pkg, commands]) => ({
    pkg,
    client: clientClassOf(pkg),
    commands: [...commands].sort(),
  }));
}

function clientClassOf(pkg: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = Object.keys(require(pkg) as Record<string, unknown>);
  const client = exports.find((name) => /^[A-Z]\w*Client$/.test(name) && name !== '__Client');
  if (!client) throw new Error(`${pkg} exports no *Client class`);
  return client;
}

/**
 * The floor: the same SDK clients built at module scope with the same commands, and an empty handler. A
 * document client wraps the DynamoDB client as the handlers do.
 */
function floorSource(imports: SdkImport[]): string {
  const lines = imports.map((p) => `import { ${[p.client, ...p.commands].join(', ')} } from '${p.pkg}';`);
  const base = imports.find((p) => p.pkg === '@aws-sdk/client-dynamodb');
  const clients = imports.map((p) =>
    p.pkg === '@aws-sdk/lib-dynamodb' && base
      ? `${p.client}.from(new ${base.client}({}))`
      : `new ${p.client}({})`,
  );
  const commands = imports.flatMap((p) => p.commands);
  lines.push(`const clients = [${clients.join(', ')}];`);
  lines.push(`export const commands = [${commands.join(', ')}];`);
  lines.push('export const handler = async () => clients.length;');
  return lines.join('\n');
}

/** The function's environment as Lambda sets it (provider's + its own, NODE_OPTIONS included), quiet Powertools. */
function lambdaEnvironment(config: BenchConfig, key: string): NodeJS.ProcessEnv {
  const fn = config.functions[key];
  const declared = { ...config.providerEnvironment, ...fn?.environment };
  const strings = Object.entries(declared).filter(
    (entry): entry is [string, string | number] =>
      typeof entry[1] === 'string' || typeof entry[1] === 'number',
  );
  return {
    PATH: process.env.PATH,
    ...Object.fromEntries(strings.map(([name, value]) => [name, String(value)])),
    // A CloudFormation Ref has no value here; the handlers only check that it is set.
    STATE_MACHINE_ARN: localStateMachineArn(config.region, 'bench'),
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: fn?.name ?? key,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  };
}

/**
 * The fastest init of each file, runs interleaved (a, b, a, b, ...) so that noise hits both alike. The fastest, not the
 * median: a shared machine only ever adds time to a run, and with the few runs of --quick a median of three moved a
 * handler's ratio by 0.3 on a loaded machine (1.05-1.45 ×) where the fastest kept it within the full run's spread.
 */
async function timeInits(
  files: [string, string],
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<[number, number]> {
  const samples: [number[], number[]] = [[], []];
  const init = async (file: string) =>
    Number((await run(NODE, ['-e', INIT_PROBE, file], { env, cwd: tmpdir() })).stdout);
  for (let i = 0; i < runs; i++) {
    samples[0].push(await init(files[0]));
    samples[1].push(await init(files[1]));
  }
  return [Math.min(...samples[0]), Math.min(...samples[1])];
}

/** Bytes in the output per package (or per source folder for our own code), heaviest first. */
function topInputs(metafile: Metafile, count = 8): { input: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg =
        /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? (input.startsWith('src/') ? 'src/' : input);
      totals.set(pkg, (totals.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return [...totals]
    .map(([input, bytes]) => ({ input, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}
