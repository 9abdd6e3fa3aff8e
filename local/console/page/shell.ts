/// <reference lib="dom" />
/**
 * What every view of the console shares: the element views draw into, the view now open, links between views, and
 * how errors and graphs are shown. Held here once so the router and the views read the same state.
 */
import { h } from './dom';
import type { DrawnGraph } from './render';

export interface View {
  /** Reloads what may have changed; resolves whether the view still has something running to follow. */
  refresh(): Promise<boolean>;
}

/** The view on screen and the route that opened it; polling follows it only while it is still the open one. */
export interface OpenView {
  view: View;
  route: string;
}

export const viewRoot = document.getElementById('view')!;

let open: OpenView | undefined;

export function currentView(): OpenView | undefined {
  return open;
}

export function openView(view: View, route: string): OpenView {
  open = { view, route };
  return open;
}

export const machineHref = (arn: string, status = '') =>
  `#/machine/${encodeURIComponent(arn)}${status ? `?status=${status}` : ''}`;
export const executionHref = (arn: string) => `#/execution/${encodeURIComponent(arn)}`;

export function showError(error: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error));
}

let firstGraph = true;

/** Puts a drawn graph in its container; the first one marks `console-first-graph`, which the e2e test times. */
export function showGraph(graph: DrawnGraph, container: HTMLElement): void {
  container.replaceChildren(graph.svg);
  if (firstGraph) {
    firstGraph = false;
    performance.mark('console-first-graph');
  }
}
