/**
 * The workflow test suite's time: `npm run test:workflow` as a developer runs it, wall time of the jest process
 * from spawn to exit (jest's start, DynamoDB Local's start, the transform and every test).
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export async function measureWorkflowSuite(): Promise<{ ms: number; tests: number; passed: boolean }> {
  const output = join(tmpdir(), `workflow-suite-${process.pid}.json`);
  const startedAt = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('npx', ['jest', '--selectProjects', 'workflow', '--json', `--outputFile=${output}`], {
      cwd: join(__dirname, '..', '..'),
      stdio: 'ignore',
    });
    child.once('exit', resolve);
  });
  const ms = performance.now() - startedAt;
  try {
    const result = JSON.parse(readFileSync(output, 'utf8')) as { numTotalTests: number; success: boolean };
    return { ms, tests: result.numTotalTests, passed: code === 0 && result.success };
  } finally {
    rmSync(output, { force: true });
  }
}
