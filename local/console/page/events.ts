/// <reference lib="dom" />
/** History events as table rows, shared by the execution's event table and a state's own events. */
import type { HistoryEvent } from './api';
import { formatDate, formatDuration, h } from './dom';

export function eventRow(event: HistoryEvent, start: number, state: string | undefined): HTMLElement {
  const detailsKey = Object.keys(event).find((key) => key.endsWith('EventDetails'));
  const detail = detailsKey ? event[detailsKey] : undefined;
  return h(
    'tr',
    { 'data-event-type': event.type },
    h('td', {}, String(event.id)),
    h('td', {}, event.type),
    h('td', {}, state ?? ''),
    h('td', {}, formatDuration((event.timestamp - start) * 1000)),
    h(
      'td',
      {},
      detail
        ? h(
            'details',
            {},
            h('summary', {}, summarise(detail)),
            h('pre', {}, JSON.stringify(detail, expandJson, 2)),
          )
        : '',
    ),
    h('td', {}, formatDate(event.timestamp)),
  );
}

/** JSON text fields (input, output, parameters) shown as JSON rather than as escaped strings. */
function expandJson(key: string, value: unknown): unknown {
  if (typeof value === 'string' && ['input', 'output', 'parameters', 'cause'].includes(key)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function summarise(detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '';
  const d = detail as Record<string, unknown>;
  if (typeof d.error === 'string')
    return `${d.error}${typeof d.cause === 'string' ? `: ${d.cause.slice(0, 80)}` : ''}`;
  if (typeof d.name === 'string') return d.name;
  if (typeof d.resource === 'string') return d.resource;
  return Object.keys(d).join(', ');
}
