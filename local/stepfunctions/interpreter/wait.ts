/** How long a Wait state waits, validated as AWS validates Seconds, Timestamp and their Path and JSONata forms. */
import type { Json } from '../definition';
import { StateEvaluationError } from './errors';
import type { WaitTarget } from './language';

/** ISO-8601 with an offset, as AWS requires for Wait timestamps; NaN otherwise. Sub-ms digits are dropped. */
export function parseTimestamp(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) return NaN;
  const fraction = match[2] ? match[2].slice(0, 4) : '';
  const [, month, day] = /^\d{4}-(\d{2})-(\d{2})/.exec(text) ?? [];
  if (Number(month) > 12 || Number(day) > 31) return NaN;
  return Date.parse(`${match[1]}${fraction}${match[3]}`);
}

function show(value: Json | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** Milliseconds to wait from `now` (negative: a past timestamp); throws the state's error for unusable values. */
export function waitMilliseconds(target: WaitTarget, now: number): number {
  const error = target.jsonata ? 'States.QueryEvaluationError' : 'States.Runtime';
  if (target.timestamp !== undefined) {
    const at = typeof target.timestamp === 'string' ? parseTimestamp(target.timestamp) : NaN;
    if (Number.isNaN(at)) {
      throw new StateEvaluationError(
        error,
        target.path === undefined
          ? `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${show(target.timestamp)}`
          : `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${target.path} == ${show(target.timestamp)}`,
      );
    }
    return at - now;
  }
  const seconds = target.seconds ?? 0;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) {
    throw new StateEvaluationError(
      error,
      target.path === undefined
        ? `The Seconds field cannot be parsed as a long value: ${show(seconds)}`
        : `The SecondsPath parameter cannot be parsed as a long value: ${target.path} == ${show(seconds)}`,
    );
  }
  if (seconds < 0) {
    throw new StateEvaluationError(
      error,
      target.path === undefined
        ? `The Seconds field references a negative value: ${show(seconds)}`
        : `The SecondsPath parameter references a negative value: ${target.path} == ${show(seconds)}`,
    );
  }
  return seconds * 1000;
}
