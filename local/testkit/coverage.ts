import { join } from 'node:path';
import { forEachState, isObject, type AslState, type JsonObject } from '../stepfunctions/definition';
import type { CoveredElements } from './records';

/**
 * Every element of a definition that a test can take, by id:
 * - states: the state's name;
 * - transitions: `A -> B (Next)`, `A -> B (Default)`, `A -> B (Choices[0])`, `A -> B (Catch[1] States.ALL)`;
 * - retriers: `A.Retry[0]` (each entry of each Retry list); catchers: `A.Catch[0]`.
 * Parallel branches and Map processors are included; state names are unique in a whole machine (ASL rule).
 */
export function elementsOf(definition: JsonObject): CoveredElements {
  const elements: CoveredElements = { states: [], transitions: [], retriers: [], catchers: [] };
  forEachState(definition, (name, state) => {
    elements.states.push(name);
    if (typeof state.Next === 'string') elements.transitions.push(transitionId(name, state.Next, 'Next'));
    listOf(state.Choices).forEach((rule, index) => {
      if (typeof rule.Next === 'string')
        elements.transitions.push(transitionId(name, rule.Next, `Choices[${index}]`));
    });
    if (typeof state.Default === 'string')
      elements.transitions.push(transitionId(name, state.Default, 'Default'));
    listOf(state.Retry).forEach((_retrier, index) => elements.retriers.push(`${name}.Retry[${index}]`));
    catchersOf(state).forEach((catcher, index) => {
      elements.catchers.push(`${name}.Catch[${index}]`);
      elements.transitions.push(catchTransitionId(name, catcher, index));
    });
  });
  return elements;
}

export function transitionId(from: string, to: string, how: string): string {
  return `${from} -> ${to} (${how})`;
}

export function catchTransitionId(from: string, catcher: JsonObject, index: number): string {
  const next = typeof catcher.Next === 'string' ? catcher.Next : '?';
  return transitionId(from, next, `Catch[${index}] ${errorEquals(catcher).join(', ')}`);
}

export function catchersOf(state: AslState): JsonObject[] {
  return listOf(state.Catch);
}

export function retriersOf(state: AslState): JsonObject[] {
  return listOf(state.Retry);
}

export function errorEquals(entry: JsonObject): string[] {
  return Array.isArray(entry.ErrorEquals)
    ? entry.ErrorEquals.filter((e): e is string => typeof e === 'string')
    : [];
}

function listOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Covered and total of one kind of element. */
export interface Count {
  covered: number;
  total: number;
}

/** One machine's coverage, as written to reports/asl-coverage.json. */
export interface MachineCoverage {
  states: Count;
  transitions: Count;
  retriers: Count;
  catchers: Count;
  uncovered: string[];
}

/** What the workflow project's global teardown writes: the totals over all machines, then each machine's own. */
export interface AslCoverageReport extends MachineCoverage {
  machines: Record<string, MachineCoverage>;
}

/** Where the global teardown writes the AslCoverageReport of the last workflow run (git-ignored). */
export const ASL_COVERAGE_REPORT = join(__dirname, '..', '..', 'reports', 'asl-coverage.json');

export const KINDS = ['states', 'transitions', 'retriers', 'catchers'] as const;

/** Compares what the executions took with what the definition has. */
export function measure(all: CoveredElements, taken: readonly CoveredElements[]): MachineCoverage {
  const counts: Partial<Record<(typeof KINDS)[number], Count>> = {};
  const uncovered: string[] = [];
  for (const kind of KINDS) {
    const seen = new Set(taken.flatMap((covered) => covered[kind]));
    const missing = all[kind].filter((id) => !seen.has(id));
    counts[kind] = { covered: all[kind].length - missing.length, total: all[kind].length };
    uncovered.push(...missing.map((id) => `${kind}: ${id}`));
  }
  return { ...(counts as Omit<MachineCoverage, 'uncovered'>), uncovered };
}

/** The report's totals over all machines; `uncovered` ids are prefixed with the machine's name. */
export function sum(machines: Readonly<Record<string, MachineCoverage>>): MachineCoverage {
  const all = Object.values(machines);
  const total = (kind: (typeof KINDS)[number]): Count => ({
    covered: all.reduce((n, m) => n + m[kind].covered, 0),
    total: all.reduce((n, m) => n + m[kind].total, 0),
  });
  return {
    states: total('states'),
    transitions: total('transitions'),
    retriers: total('retriers'),
    catchers: total('catchers'),
    uncovered: Object.entries(machines).flatMap(([name, m]) => m.uncovered.map((id) => `${name}: ${id}`)),
  };
}

export function isComplete(coverage: MachineCoverage): boolean {
  return KINDS.every((kind) => coverage[kind].covered === coverage[kind].total);
}

/** `states 7/7 (100%), transitions 12/12 (100%), retriers 8/8 (100%), catchers 7/7 (100%)` */
export function formatCoverage(coverage: MachineCoverage): string {
  return KINDS.map((kind) => {
    const { covered, total } = coverage[kind];
    const percent = total === 0 ? 100 : Math.floor((covered / total) * 100);
    return `${kind} ${covered}/${total} (${percent}%)`;
  }).join(', ');
}
