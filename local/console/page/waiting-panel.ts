/// <reference lib="dom" />
import { ApiError, call } from './api';
import { h } from './dom';
import type { GraphModel } from './model';
import { currentView, showError } from './shell';

/** A task waiting on its token, with SendTaskSuccess (output editor), SendTaskFailure and SendTaskHeartbeat. */
export function waitingPanel(state: string, token: string, model: GraphModel | undefined): HTMLElement {
  const output = h('textarea', {
    'aria-label': 'Task output',
    'data-editor': 'task-output',
    spellcheck: 'false',
  });
  output.value = JSON.stringify(outputSkeleton(model?.states.get(state)?.def.ResultSelector), null, 2);
  const error = h('input', {
    type: 'text',
    placeholder: 'error',
    'aria-label': 'Error',
    'data-field': 'error',
  });
  const cause = h('input', {
    type: 'text',
    placeholder: 'cause',
    'aria-label': 'Cause',
    'data-field': 'cause',
  });
  const message = h('div', { 'data-result': '' });
  const act = (label: string, action: string, body: () => Record<string, unknown>, className = '') => {
    const button = h(
      'button',
      { class: className, 'data-action': action.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase() },
      label,
    );
    button.addEventListener('click', () => {
      button.disabled = true;
      call(action, { taskToken: token, ...body() }).then(
        () => {
          button.disabled = false;
          message.replaceChildren(
            h('span', { class: 'muted' }, `${action} sent at ${new Date().toLocaleTimeString()}`),
          );
          void currentView()?.view.refresh();
        },
        (e: unknown) => {
          button.disabled = false;
          message.replaceChildren(showError(e instanceof ApiError ? e : String(e)));
        },
      );
    });
    return button;
  };
  return h(
    'div',
    { class: 'panel waiting', 'data-waiting-state': state },
    h('h2', {}, `${state} waits for its task token`),
    h('div', { class: 'token', 'data-token': token }, token),
    output,
    h(
      'div',
      { class: 'row' },
      act('Send task success', 'SendTaskSuccess', () => ({ output: output.value }), 'primary'),
      act('Send heartbeat', 'SendTaskHeartbeat', () => ({})),
      error,
      cause,
      act(
        'Send task failure',
        'SendTaskFailure',
        () => ({
          ...(error.value ? { error: error.value } : {}),
          ...(cause.value ? { cause: cause.value } : {}),
        }),
        'danger',
      ),
    ),
    message,
  );
}

/** A starting point for a task's output: the fields its ResultSelector reads (`$.pickedUpAt` -> pickedUpAt). */
function outputSkeleton(resultSelector: unknown): Record<string, unknown> {
  const skeleton: Record<string, unknown> = {};
  if (resultSelector && typeof resultSelector === 'object') {
    for (const value of Object.values(resultSelector)) {
      const field = typeof value === 'string' ? /^\$\.([A-Za-z0-9_]+)/.exec(value)?.[1] : undefined;
      if (field) skeleton[field] = /At$/.test(field) ? new Date().toISOString() : '';
    }
  }
  return skeleton;
}
