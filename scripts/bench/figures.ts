/**
 * The benchmark figures of README.md (a summary) and docs/benchmarks.md (the whole printout) come from a full bench
 * run, written between `<!-- bench:begin -->` and `<!-- bench:end -->`: never edited by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { buildReport } from './report';

type Report = ReturnType<typeof buildReport>;

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

export async function writeFigures(root: string, report: Report): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  await replaceBetweenMarkers(join(root, 'README.md'), summary(report, date));
  await replaceBetweenMarkers(
    join(root, 'docs', 'benchmarks.md'),
    `Last full run (\`npm run bench\`, ${date}):\n\n\`\`\`text\n${report.text}\n\`\`\``,
  );
}

function summary({ json }: Report, date: string): string {
  const worst = (ratio: (h: (typeof json.handlers)[number]) => number) =>
    Math.max(...json.handlers.map(ratio)).toFixed(2);
  const e2e = json.e2e;
  return [
    `| measured by \`npm run bench\` (${date}, ${json.machine.nproc} cores) | value |`,
    '| --- | --- |',
    `| cold start, worst handler: bundle / init ÷ SDK-only floor | ${worst((h) => h.bundleBytes / h.floorBundleBytes)}× / ${worst((h) => h.initMs / h.floorInitMs)}× |`,
    `| local cloud at saturation ÷ its slowest component's ceiling | ${e2e.completedPerSec} / ${e2e.ceilingPerSec} orders/s = ${(e2e.completedPerSec / e2e.ceilingPerSec).toFixed(2)} |`,
    `| p99 POST → SHIPPED beyond the designed waits, at half that rate | ${e2e.p99OverheadMs} ms |`,
    `| AWS cost of 1,000,000 orders (us-east-1, arm64, list prices) | $${json.cost.perMillionOrdersUsd.toFixed(2)} (${json.cost.dominant} ${(100 * (json.cost.breakdown[0]?.share ?? 0)).toFixed(0)} %) |`,
    `| workflow test suite (${json.workflowSuiteTests} tests) | ${(json.workflowSuiteMs / 1000).toFixed(1)} s |`,
  ].join('\n');
}

/** Formatted as `npm run lint` wants it (Prettier aligns the tables). */
async function replaceBetweenMarkers(path: string, content: string): Promise<void> {
  const text = readFileSync(path, 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin)
    throw new Error(`${path} has no ${BEGIN} … ${END} section for the bench's figures`);
  const replaced = `${text.slice(0, begin + BEGIN.length)}\n${content}\n${text.slice(end)}`;
  writeFileSync(path, await format(replaced, { ...(await resolveConfig(path)), filepath: path }));
}
