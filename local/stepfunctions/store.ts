/**
 * The local Step Functions service's state on disk, next to DynamoDB Local's data: state machines in one JSON file,
 * each execution as an append-only JSON-lines file (its start, then every history event as it is recorded), so a
 * restart finds every execution as it was and resumes the running ones.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

export interface StoredStateMachine {
  name: string;
  arn: string;
  definition: string;
  roleArn: string;
  type: string;
  creationDate: string;
  updateDate?: string;
}

export interface StoredExecutionStart {
  arn: string;
  name: string;
  stateMachineArn: string;
  /** The definition it runs (a later UpdateStateMachine does not change a running execution). */
  definition: string;
  roleArn: string;
  /** As StartExecution received it (JSON text). */
  input: string;
  startDate: string;
}

export interface StoredExecution extends StoredExecutionStart {
  events: HistoryEvent[];
}

type Line = { start: StoredExecutionStart } | { event: HistoryEvent };

export class ExecutionStore {
  private readonly executionsDir: string;

  constructor(private readonly dir: string) {
    this.executionsDir = join(dir, 'executions');
    mkdirSync(this.executionsDir, { recursive: true });
  }

  loadStateMachines(): StoredStateMachine[] {
    const file = join(this.dir, 'state-machines.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StoredStateMachine[]) : [];
  }

  /** Rewrites the state machines file whole (written aside, then renamed: a crash leaves the old one intact). */
  saveStateMachines(records: StoredStateMachine[]): void {
    const file = join(this.dir, 'state-machines.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(records, null, 2));
    renameSync(`${file}.tmp`, file);
  }

  /** Every stored execution, oldest first. A torn last line (a crash mid-write) is dropped. */
  loadExecutions(): StoredExecution[] {
    const executions: StoredExecution[] = [];
    for (const file of readdirSync(this.executionsDir).filter((name) => name.endsWith('.jsonl'))) {
      let execution: StoredExecution | undefined;
      for (const text of readFileSync(join(this.executionsDir, file), 'utf8').split('\n')) {
        const line = parseLine(text);
        if (!line) continue;
        if ('start' in line) execution = { ...line.start, events: [] };
        else execution?.events.push({ ...line.event, timestamp: new Date(line.event.timestamp ?? 0) });
      }
      if (execution) executions.push(execution);
    }
    return executions.sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  begin(start: StoredExecutionStart): void {
    writeFileSync(this.fileOf(start.arn), `${JSON.stringify({ start })}\n`);
  }

  /** Appends synchronously: the event is on disk before the execution moves on. */
  append(executionArn: string, event: HistoryEvent): void {
    appendFileSync(this.fileOf(executionArn), `${JSON.stringify({ event })}\n`);
  }

  private fileOf(executionArn: string): string {
    return join(
      this.executionsDir,
      `${createHash('sha256').update(executionArn).digest('hex').slice(0, 32)}.jsonl`,
    );
  }
}

function parseLine(text: string): Line | undefined {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as Line;
  } catch {
    return undefined;
  }
}
