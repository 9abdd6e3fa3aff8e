import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The ids of the ASL elements one execution took (see coverage.ts for the id formats). */
export interface CoveredElements {
  states: string[];
  transitions: string[];
  retriers: string[];
  catchers: string[];
}

/** One line of a records file: an execution's coverage, or a test file's real start and end. */
export type KitRecord =
  | { kind: 'execution'; machine: string; covered: CoveredElements }
  | { kind: 'file'; file: string; startedAt: number; endedAt: number };

/**
 * Appends a record to this worker's file in `dir`. Jest runs test files in several worker processes, so each
 * process writes its own file and the global teardown reads them all.
 */
export function appendRecord(dir: string, record: KitRecord): void {
  appendFileSync(join(dir, `records-${process.pid}.jsonl`), `${JSON.stringify(record)}\n`);
}

/** Every record written in `dir` during this run. */
export function readRecords(dir: string): KitRecord[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('records-') && name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as KitRecord);
}
