import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../processes';
import { writeAtomically } from '../write-atomically';

/**
 * The global setup prepares DynamoDB Local (the JVM's start, the tables, the seed) while jest starts its workers
 * and they load the test files; this file in the records directory tells the test files when it is done, or why it
 * never will be (jest's global setup and its workers share no memory).
 */
const READY_FILE = 'database-ready.json';

/**
 * A test file waits this long at most. DynamoDB Local's start gives up after 60 s by itself; below jest's hook
 * timeout (jest.config.ts), so a hang reads as this message rather than as jest's.
 */
const WAIT_MS = 90_000;

/** Records that the suite's tables are ready (no `error`), or the reason they never will be. */
export function markDatabase(recordsDir: string, error?: Error): void {
  const outcome = error === undefined ? {} : { error: error.stack ?? error.message };
  writeAtomically(join(recordsDir, READY_FILE), JSON.stringify(outcome));
}

/** Resolves once the global setup marked the tables ready; rejects with its reason if it failed. */
export async function databaseReady(recordsDir: string): Promise<void> {
  const file = join(recordsDir, READY_FILE);
  await waitUntil(
    () => (existsSync(file) ? Promise.resolve() : Promise.reject(new Error(`${file} does not exist yet`))),
    { timeoutMs: WAIT_MS, intervalMs: 10, what: "The workflow suite's DynamoDB Local" },
  );
  const { error } = JSON.parse(readFileSync(file, 'utf8')) as { error?: string };
  if (error !== undefined) throw new Error(`The workflow suite's DynamoDB Local is not available: ${error}`);
}
