import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '@jest/types';
import { loadDefinition } from '../../statemachines/load-asl';
import type { JsonObject } from '../stepfunctions/definition';
import {
  ASL_COVERAGE_REPORT,
  elementsOf,
  formatCoverage,
  isComplete,
  measure,
  sum,
  type AslCoverageReport,
  type MachineCoverage,
} from './coverage';
import { readRecords, type KitRecord } from './records';

const ROOT = join(__dirname, '..', '..');

/**
 * Stops DynamoDB Local, then reports ASL coverage: one line per state machine in statemachines/ and
 * reports/asl-coverage.json (ASL_COVERAGE_REPORT). Throws (failing the run) when a machine is below 100 % on any count, unless
 * the run was narrowed to some tests (-t, a path pattern, --onlyChanged), which could not cover everything.
 */
export default async function globalTeardown(globalConfig: Config.GlobalConfig): Promise<void> {
  const kit = globalThis.workflowKit;
  if (!kit) return;
  globalThis.workflowKit = undefined;
  const failure = await kit.prepared;
  await (await kit.dynamoDb.catch(() => undefined))?.stop();
  const records = readRecords(kit.state.recordsDir);
  rmSync(kit.state.recordsDir, { recursive: true, force: true });
  // Every test file failed with it; the coverage it prevented would only hide it.
  if (failure !== undefined) throw failure;

  const machines = Object.fromEntries(
    machineNames().map((name) => [name, coverageOf(name, records)] as const),
  );
  const report: AslCoverageReport = { ...sum(machines), machines };
  mkdirSync(dirname(ASL_COVERAGE_REPORT), { recursive: true });
  writeFileSync(ASL_COVERAGE_REPORT, `${JSON.stringify(report, null, 2)}\n`);

  const seconds = (wallTime(records) / 1000).toFixed(1);
  console.log('');
  for (const [name, coverage] of Object.entries(machines)) {
    console.log(`ASL coverage ${name}: ${formatCoverage(coverage)} — workflow tests ${seconds} s`);
  }
  const narrowed =
    Boolean(globalConfig.testNamePattern) ||
    globalConfig.testPathPatterns.isSet() ||
    globalConfig.onlyChanged ||
    globalConfig.findRelatedTests;
  const incomplete = Object.entries(machines).filter(([, coverage]) => !isComplete(coverage));
  if (incomplete.length === 0) return;
  if (narrowed) {
    console.log('(a narrowed run: the 100 % ASL coverage gate applies to full runs only)');
    return;
  }
  console.log(`Not covered:\n  ${report.uncovered.join('\n  ')}`);
  const error = new Error(
    `ASL coverage below 100 % for ${incomplete.map(([name]) => name).join(', ')}: add workflow tests for the elements listed above (also in ${ASL_COVERAGE_REPORT}, "uncovered")`,
  );
  // The stack would only point into this file; the message says everything.
  error.stack = error.message;
  throw error;
}

function machineNames(): string[] {
  return readdirSync(join(ROOT, 'statemachines'))
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => file.slice(0, -'.asl.json'.length))
    .sort();
}

function coverageOf(machine: string, records: KitRecord[]): MachineCoverage {
  const definition = loadDefinition(machine, (key) => key) as JsonObject;
  const taken = records.flatMap((r) => (r.kind === 'execution' && r.machine === machine ? [r.covered] : []));
  return measure(elementsOf(definition), taken);
}

/** From the first workflow test file's start to the last one's end (DynamoDB Local already up). */
function wallTime(records: KitRecord[]): number {
  const files = records.flatMap((r) => (r.kind === 'file' ? [r] : []));
  if (files.length === 0) return 0;
  return Math.max(...files.map((f) => f.endedAt)) - Math.min(...files.map((f) => f.startedAt));
}
