/**
 * CPU seconds used by this process and its descendants, by component: DynamoDB Local's JVM, each function's
 * Lambda environments (worker processes, named by their bundle), and this process (the load generator, the Step
 * Functions service, the HTTP API and the Lambda pool all run here). Read from /proc (Linux); elsewhere empty.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export type CpuSample = Map<string, number>;

const TICKS_PER_SECOND = 100;

export function sampleCpu(): CpuSample {
  const sample: CpuSample = new Map();
  if (!existsSync('/proc/self/stat')) return sample;
  const processes = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      const stat = read(`/proc/${pid}/stat`);
      if (!stat) return [];
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      return [{ pid: Number(pid), parent: Number(fields[1]), seconds }];
    });
  const children = new Map<number, number[]>();
  for (const p of processes) children.set(p.parent, [...(children.get(p.parent) ?? []), p.pid]);
  const mine = new Set<number>();
  const visit = (pid: number) => {
    mine.add(pid);
    (children.get(pid) ?? []).forEach(visit);
  };
  visit(process.pid);
  for (const p of processes.filter((candidate) => mine.has(candidate.pid))) {
    const component = componentOf(p.pid);
    sample.set(component, (sample.get(component) ?? 0) + p.seconds);
  }
  return sample;
}

/** CPU seconds per component between two samples (processes that exited in between are not counted). */
export function cpuBetween(before: CpuSample, after: CpuSample): Map<string, number> {
  return new Map(
    [...after].map(([component, seconds]) => [component, seconds - (before.get(component) ?? 0)]),
  );
}

function componentOf(pid: number): string {
  if (pid === process.pid) return 'bench process (load, Step Functions, HTTP API, Lambda pool)';
  const command = (read(`/proc/${pid}/cmdline`) ?? '').split('\0');
  // `-jar …/DynamoDBLocal.jar`, or `-cp …/DynamoDBLocal.jar:…` when it runs with class data sharing.
  if (command[0]?.endsWith('java') && command.some((arg) => arg.includes('DynamoDBLocal.jar')))
    return 'DynamoDB Local';
  const runtime = command.findIndex((arg) => arg.endsWith('runtime.js'));
  const bundle = runtime >= 0 ? command[runtime + 1] : undefined;
  if (bundle) return `Lambda ${/([^/]+)\.[a-z]+$/.exec(bundle)?.[1] ?? bundle}`;
  return 'other';
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
