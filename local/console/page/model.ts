/**
 * An ASL definition as a graph, the way the AWS console's Graph view draws it: a Start and an End, states as nodes,
 * Next/Default/Choice/Catch edges (same source, target and kind merged into one labelled edge), and each Parallel
 * or Map as a group holding its own node, its branches (or item processor) and a join the state leaves from.
 */

export type AslState = Record<string, unknown> & { Type: string };
interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
}

export type NodeKind = 'start' | 'end' | 'state' | 'join';
export type EdgeKind = 'next' | 'default' | 'choice' | 'catch' | 'branch';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  stateType?: string;
  /** The state starts child executions (states:startExecution): its node links to them. */
  startsExecutions?: boolean;
  parent?: string;
}

export interface GraphGroup {
  id: string;
  label: string;
  kind: 'container' | 'branch';
  parent?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  labels: string[];
}

/** Where a state sits: its definition, the group its node is in, and the node its transitions leave from. */
export interface StateInfo {
  name: string;
  def: AslState;
  scope: string;
  /** The node outgoing edges start from: the state itself, or its join for Parallel and Map. */
  exitNode: string;
  /** Where `End: true` leads: the End node, or the enclosing container's join. */
  endTarget: string;
  /** For a branch's states: the container state whose branch this is. */
  container?: string;
}

export interface GraphModel {
  nodes: GraphNode[];
  groups: GraphGroup[];
  edges: GraphEdge[];
  states: Map<string, StateInfo>;
}

export const START = '::start';
export const END = '::end';
export const ROOT = '::root';

export function joinId(state: string): string {
  return `${state}::join`;
}

export function buildModel(definitionText: string): GraphModel {
  const machine = JSON.parse(definitionText) as AslMachine;
  const model: GraphModel = { nodes: [], groups: [], edges: [], states: new Map() };
  const edges = new Map<string, GraphEdge>();
  const edge = (from: string, to: string, kind: EdgeKind, label?: string) => {
    const key = `${from}|${to}|${kind}`;
    const existing = edges.get(key);
    if (existing) {
      if (label && !existing.labels.includes(label)) existing.labels.push(label);
      return;
    }
    const created: GraphEdge = { from, to, kind, labels: label ? [label] : [] };
    edges.set(key, created);
    model.edges.push(created);
  };
  model.nodes.push({ id: START, kind: 'start', label: 'Start' }, { id: END, kind: 'end', label: 'End' });
  edge(START, machine.StartAt, 'next');

  const addStates = (
    flow: AslMachine,
    scope: string,
    endTarget: string,
    groupParent: string | undefined,
    container?: string,
  ) => {
    for (const [name, def] of Object.entries(flow.States)) {
      const branches = branchesOf(def);
      let exitNode = name;
      let nodeParent = groupParent;
      if (branches.length > 0) {
        const group = `${name}::group`;
        model.groups.push({ id: group, label: def.Type, kind: 'container', ...parentOf(groupParent) });
        nodeParent = group;
        exitNode = joinId(name);
        model.nodes.push({ id: exitNode, kind: 'join', label: '', parent: group });
        branches.forEach((branch, index) => {
          const branchGroup = `${name}::branch${index}`;
          model.groups.push({
            id: branchGroup,
            label: def.Type === 'Map' ? 'Item processor' : `Branch ${index + 1}`,
            kind: 'branch',
            parent: group,
          });
          edge(name, branch.StartAt, 'branch');
          addStates(branch, branchGroup, exitNode, branchGroup, name);
        });
      }
      model.nodes.push({
        id: name,
        kind: 'state',
        label: name,
        stateType: def.Type,
        ...(typeof def.Resource === 'string' &&
        def.Resource.startsWith('arn:aws:states:::states:startExecution')
          ? { startsExecutions: true }
          : {}),
        ...parentOf(nodeParent),
      });
      model.states.set(name, {
        name,
        def,
        scope,
        exitNode,
        endTarget,
        ...(container ? { container } : {}),
      });
      if (typeof def.Next === 'string') edge(exitNode, def.Next, 'next');
      if (def.End === true || def.Type === 'Succeed' || def.Type === 'Fail')
        edge(exitNode, endTarget, 'next');
      if (def.Type === 'Choice') {
        const choices = Array.isArray(def.Choices) ? (def.Choices as Record<string, unknown>[]) : [];
        for (const rule of choices) {
          if (typeof rule.Next === 'string') edge(name, rule.Next, 'choice', describeRule(rule));
        }
        if (typeof def.Default === 'string') edge(name, def.Default, 'default', 'Default');
      }
      const catchers = Array.isArray(def.Catch) ? (def.Catch as Record<string, unknown>[]) : [];
      for (const catcher of catchers) {
        const errors = Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.join(', ') : 'error';
        if (typeof catcher.Next === 'string') edge(exitNode, catcher.Next, 'catch', errors);
      }
    }
  };
  addStates(machine, ROOT, END, undefined);
  return model;
}

function parentOf(parent: string | undefined): { parent?: string } {
  return parent === undefined ? {} : { parent };
}

/** A Parallel's branches, or a Map's ItemProcessor (or legacy Iterator), as flows. */
function branchesOf(def: AslState): AslMachine[] {
  if (def.Type === 'Parallel' && Array.isArray(def.Branches)) return def.Branches as AslMachine[];
  if (def.Type === 'Map') {
    const processor = (def.ItemProcessor ?? def.Iterator) as AslMachine | undefined;
    return processor ? [processor] : [];
  }
  return [];
}

const OPERATORS: Record<string, string> = {
  Equals: '==',
  GreaterThan: '>',
  GreaterThanEquals: '>=',
  LessThan: '<',
  LessThanEquals: '<=',
  Matches: 'matches',
};

/** A Choice rule in one short line: `$.total.amount >= 10000`, `And(2)`, `Not(...)`. */
export function describeRule(rule: Record<string, unknown>): string {
  for (const combinator of ['And', 'Or']) {
    const parts = rule[combinator];
    if (Array.isArray(parts))
      return parts.map((part) => describeRule(part as Record<string, unknown>)).join(` ${combinator} `);
  }
  if (rule.Not && typeof rule.Not === 'object')
    return `Not ${describeRule(rule.Not as Record<string, unknown>)}`;
  if (typeof rule.Condition === 'string') return rule.Condition;
  const variable = typeof rule.Variable === 'string' ? rule.Variable : '';
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next') continue;
    if (key.startsWith('Is')) return `${variable} ${value === false ? 'not ' : ''}${key.slice(2)}`;
    const operator = Object.entries(OPERATORS).find(([suffix]) => key.replace(/Path$/, '').endsWith(suffix));
    const shown = key.endsWith('Path') ? String(value) : JSON.stringify(value);
    return `${variable} ${operator ? operator[1] : key} ${shown}`;
  }
  return variable;
}
