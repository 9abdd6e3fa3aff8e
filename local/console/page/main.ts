/// <reference lib="dom" />
/**
 * The local console: state machines, their executions, and each execution drawn as a live graph with its history
 * and its waiting tasks. Hash routes: #/machine/<arn>, #/execution/<arn>. Everything comes from the Step Functions
 * API (api.ts); while something runs, the open view polls it.
 */
import { listAllStateMachines } from './api';
import { h } from './dom';
import { executionView } from './execution-view';
import { machineView } from './machine-view';
import { currentView, machineHref, openView, showError, viewRoot, type OpenView, type View } from './shell';

const POLL_MS = 700;

const machinesRoot = document.getElementById('machines')!;
const liveBadge = document.getElementById('live')!;

async function renderMachineList(selected?: string): Promise<void> {
  const list = await listAllStateMachines();
  machinesRoot.replaceChildren(
    h('h2', {}, 'State machines'),
    ...list.map((sm) =>
      h(
        'a',
        {
          href: machineHref(sm.stateMachineArn),
          class: sm.stateMachineArn === selected ? 'current' : undefined,
          'data-machine': sm.name,
        },
        sm.name,
      ),
    ),
  );
}

// ------------------------------------------------------------------------------------------------ routing

function home(): View {
  viewRoot.replaceChildren(
    h('h1', {}, 'Step Functions'),
    h('p', { class: 'muted' }, 'Pick a state machine to see its executions and its graph.'),
  );
  return { refresh: () => Promise.resolve(false) };
}

function route(): void {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?');
  const [, kind, encoded] = path.split('/');
  const arn = encoded ? decodeURIComponent(encoded) : undefined;
  let view: View;
  if (kind === 'machine' && arn) view = machineView(arn, new URLSearchParams(query).get('status') ?? '');
  else if (kind === 'execution' && arn) view = executionView(arn);
  else view = home();
  const opened = openView(view, hash);
  void renderMachineList(kind === 'machine' ? arn : undefined).catch((error: unknown) =>
    machinesRoot.replaceChildren(showError(error)),
  );
  void poll(opened);
}

/** Refreshes the current view now, then every POLL_MS while it has something running (and the tab is visible). */
async function poll(owner: OpenView): Promise<void> {
  while (owner === currentView()) {
    let live = false;
    try {
      live = await owner.view.refresh();
    } catch (error) {
      if (owner === currentView()) viewRoot.prepend(showError(error));
    }
    liveBadge.classList.toggle('on', live);
    if (!live) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    while (document.hidden && owner === currentView())
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

window.addEventListener('hashchange', route);
route();
