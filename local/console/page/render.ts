/// <reference lib="dom" />
/**
 * Lays a GraphModel out with dagre (compound graph: Parallel/Map groups and their branches are clusters) and draws
 * it as SVG. Nodes carry `data-state` and `data-status`, edges `data-from`/`data-to`/`data-taken`, so colouring an
 * execution is a matter of setting attributes, and tests read the same attributes a person sees as colours.
 */
import type * as Dagre from '@dagrejs/dagre';
import type { Analysis } from './analysis';
import { START, END, type GraphModel } from './model';

declare const dagre: typeof Dagre;

const SVG = 'http://www.w3.org/2000/svg';
const MAX_LABEL = 34;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DrawnGraph {
  svg: SVGSVGElement;
  /** Colours the states and transitions by what the execution did. */
  paint(analysis: Analysis, onChild: (state: string, arn: string) => string): void;
  select(state: string | undefined): void;
}

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  parent?.appendChild(node);
  return node;
}

function shorten(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

export function drawGraph(model: GraphModel, onSelect: (state: string) => void): DrawnGraph {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 34, edgesep: 12, marginx: 16, marginy: 16 });
  for (const group of model.groups) {
    g.setNode(group.id, { label: group.label });
    if (group.parent) g.setParent(group.id, group.parent);
  }
  for (const node of model.nodes) {
    const size =
      node.kind === 'join'
        ? { width: 12, height: 12 }
        : node.kind === 'state'
          ? { width: Math.max(120, node.label.length * 7.4 + 28), height: node.startsExecutions ? 58 : 42 }
          : { width: 64, height: 30 };
    g.setNode(node.id, size);
    if (node.parent) g.setParent(node.id, node.parent);
  }
  model.edges.forEach((edge, index) => {
    const label = shorten(edge.labels.join(' | '));
    g.setEdge(
      edge.from,
      edge.to,
      label ? { label, width: label.length * 5.8 + 8, height: 14, labelpos: 'c' } : {},
      `e${index}`,
    );
  });
  dagre.layout(g);

  const laidOut = g.graph() as { width?: number; height?: number };
  const width = laidOut.width ?? 400;
  const height = laidOut.height ?? 300;
  const svg = el('svg', { class: 'graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  // Shrinks to fit a narrow column, never grows past its natural size (CSSOM, allowed by the page's CSP).
  svg.style.maxWidth = `${width}px`;
  const defs = el('defs', {}, svg);
  for (const [id, colour] of [
    ['arrow', '#879596'],
    ['arrow-catch', '#e07700'],
    ['arrow-taken', '#16191f'],
  ] as const) {
    const marker = el(
      'marker',
      {
        id,
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: 'auto-start-reverse',
      },
      defs,
    );
    el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: colour }, marker);
  }

  const groupsLayer = el('g', {}, svg);
  // Outer groups first, so inner ones are drawn on top.
  const depth = (id: string | undefined): number =>
    id ? 1 + depth(model.groups.find((x) => x.id === id)?.parent) : 0;
  for (const group of [...model.groups].sort((a, b) => depth(a.id) - depth(b.id))) {
    const box = g.node(group.id) as Box | undefined;
    if (!box) continue;
    const groupEl = el('g', { class: `group ${group.kind}`, 'data-group': group.id }, groupsLayer);
    el(
      'rect',
      { x: box.x - box.width / 2, y: box.y - box.height / 2, width: box.width, height: box.height, rx: 8 },
      groupEl,
    );
    const text = el('text', { x: box.x - box.width / 2 + 8, y: box.y - box.height / 2 + 12 }, groupEl);
    text.textContent = group.label;
  }

  const edgesLayer = el('g', {}, svg);
  const edgeEls = model.edges.map((edge, index) => {
    const laid = g.edge({ v: edge.from, w: edge.to, name: `e${index}` }) as
      { points: { x: number; y: number }[]; x?: number; y?: number; label?: string } | undefined;
    const edgeEl = el(
      'g',
      { class: `edge ${edge.kind}`, 'data-from': edge.from, 'data-to': edge.to, 'data-kind': edge.kind },
      edgesLayer,
    );
    const path = el(
      'path',
      {
        d: smoothPath(laid?.points ?? []),
        'marker-end': `url(#${edge.kind === 'catch' ? 'arrow-catch' : 'arrow'})`,
      },
      edgeEl,
    );
    if (laid?.label && laid.x !== undefined && laid.y !== undefined) {
      const widthPx = laid.label.length * 5.8 + 6;
      el(
        'rect',
        { class: 'label-bg', x: laid.x - widthPx / 2, y: laid.y - 7, width: widthPx, height: 14, rx: 3 },
        edgeEl,
      );
      const text = el('text', { x: laid.x, y: laid.y + 3.5, 'text-anchor': 'middle' }, edgeEl);
      text.textContent = laid.label;
      const title = el('title', {}, edgeEl);
      title.textContent = edge.labels.join(' | ');
    }
    return { edge, edgeEl, path };
  });

  const nodesLayer = el('g', {}, svg);
  const stateEls = new Map<string, SVGGElement>();
  for (const node of model.nodes) {
    const box = g.node(node.id) as Box;
    const nodeEl = el(
      'g',
      { class: `node ${node.kind}`, transform: `translate(${box.x},${box.y})` },
      nodesLayer,
    );
    if (node.kind === 'join') {
      el('circle', { r: 5 }, nodeEl);
      continue;
    }
    if (node.kind !== 'state') {
      el('ellipse', { rx: box.width / 2, ry: box.height / 2 }, nodeEl);
      el('text', { 'text-anchor': 'middle', y: 4 }, nodeEl).textContent = node.label;
      nodeEl.dataset.node = node.id === START ? 'start' : node.id === END ? 'end' : node.id;
      continue;
    }
    nodeEl.dataset.state = node.id;
    nodeEl.dataset.status = 'not-reached';
    nodeEl.dataset.type = node.stateType ?? '';
    el(
      'rect',
      { x: -box.width / 2, y: -box.height / 2, width: box.width, height: box.height, rx: 6 },
      nodeEl,
    );
    const shift = node.startsExecutions ? -8 : 0;
    el('text', { 'text-anchor': 'middle', y: shift - 2 }, nodeEl).textContent = node.label;
    el('text', { class: 'type', 'text-anchor': 'middle', y: shift + 12 }, nodeEl).textContent =
      node.stateType ?? '';
    nodeEl.addEventListener('click', () => onSelect(node.id));
    stateEls.set(node.id, nodeEl);
  }

  return {
    svg,
    paint(analysis, childHref) {
      for (const [name, nodeEl] of stateEls) {
        const run = analysis.runs.get(name);
        nodeEl.dataset.status = run?.status ?? 'not-reached';
        nodeEl.querySelector('title')?.remove();
        const title = el('title', {}, nodeEl);
        title.textContent = `${name}: ${run?.status ?? 'not-reached'}${run && run.attempts.length > 1 ? ` (${run.attempts.length} attempts)` : ''}`;
        const existing = nodeEl.querySelector('a.child-link');
        const child = run?.childExecutionArns.at(-1);
        if (child && !existing) {
          const link = el('a', { class: 'child-link', href: childHref(name, child) }, nodeEl);
          const text = el('text', { 'text-anchor': 'middle', y: 20 }, link);
          text.textContent = '↗ child execution';
          link.addEventListener('click', (event) => event.stopPropagation());
        }
      }
      for (const { edge, edgeEl, path } of edgeEls) {
        const taken =
          analysis.taken.has(`${edge.from}|${edge.to}`) &&
          (edge.kind !== 'catch' || caughtFrom(edge.from, analysis));
        edgeEl.classList.toggle('taken', taken);
        edgeEl.dataset.taken = String(taken);
        path.setAttribute(
          'marker-end',
          `url(#${taken && edge.kind !== 'catch' ? 'arrow-taken' : edge.kind === 'catch' ? 'arrow-catch' : 'arrow'})`,
        );
      }
    },
    select(state) {
      for (const [name, nodeEl] of stateEls) nodeEl.classList.toggle('selected', name === state);
    },
  };

  function caughtFrom(from: string, analysis: Analysis): boolean {
    const name = from.endsWith('::join') ? from.slice(0, -6) : from;
    return analysis.runs.get(name)?.status === 'caught';
  }
}

/** A polyline through dagre's points, its corners rounded with quadratic curves. */
function smoothPath(points: { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M ${first.x} ${first.y}`;
  for (let i = 0; i < rest.length; i++) {
    const point = rest[i]!;
    const next = rest[i + 1];
    if (!next) {
      d += ` L ${point.x} ${point.y}`;
      break;
    }
    const mid = { x: (point.x + next.x) / 2, y: (point.y + next.y) / 2 };
    d += ` Q ${point.x} ${point.y} ${mid.x} ${mid.y}`;
  }
  return d;
}
