/**
 * The workflow suite's time, as a person waits for `npm run test:workflow`: jest's workflow project run as a child
 * process with the arguments of that script (package.json), plus --json to count the tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface WorkflowSuiteResult {
  /**
   * Wall time of the jest process from spawn to exit, in ms: its start, the global setup (serverless print,
   * DynamoDB Local), every test file, and the global teardown (coverage gate, DynamoDB Local stopped). The strict
   * figure: jest's own "Time" counts from after the global setup to the last test file only.
   */
  ms: number;
  /** Tests jest counted (numTotalTests). */
  tests: number;
  /** Every test passed and jest exited 0 (the ASL coverage gate of the global teardown included). */
  passed: boolean;
}

interface JestJson {
  numTotalTests: number;
  success: boolean;
}

/** Runs `npm run test:workflow`'s jest once in this repository; `ms` as defined on WorkflowSuiteResult. */
export async function measureWorkflowSuite(): Promise<WorkflowSuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-suite-'));
  const report = join(dir, 'jest.json');
  try {
    const startedAt = performance.now();
    const { code, output } = await runJest([
      ...scriptArguments('test:workflow'),
      '--json',
      `--outputFile=${report}`,
    ]);
    const ms = performance.now() - startedAt;
    let json: JestJson;
    try {
      json = JSON.parse(readFileSync(report, 'utf8')) as JestJson;
    } catch {
      throw new Error(`jest wrote no --json report (exit ${code}):\n${output.slice(-4000)}`);
    }
    return { ms, tests: json.numTotalTests, passed: code === 0 && json.success };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The arguments package.json's `script` gives jest (`jest --selectProjects workflow ...` -> the rest). */
function scriptArguments(script: string): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const [command, ...args] = (pkg.scripts?.[script] ?? '').trim().split(/\s+/);
  if (command !== 'jest') throw new Error(`package.json's ${script} script does not run jest: ${command}`);
  return args;
}

/** jest's own bin on this Node (the bench's, from the `node` devDependency), in the repository root. */
function runJest(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...args], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
