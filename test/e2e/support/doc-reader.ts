/**
 * What a reader does between the commands a doc shows: copies ids from one answer into the next command, points the
 * documented `localhost` ports at the cloud that runs, and keeps a pickup waiting while they type.
 */
import { SendTaskHeartbeatCommand } from '@aws-sdk/client-sfn';
import { setTimeout as sleep } from 'node:timers/promises';
import { portsFromEnv, type PortName } from '../../../local';
import { e2e } from './env';

/** The ids a doc's placeholders name (`<orderId>`, `<executionArn>`, `<shipmentId>`), as answers show them. */
const NOTED = ['orderId', 'executionArn', 'shipmentId'] as const;
type Noted = (typeof NOTED)[number];

export class ReaderNotes {
  private readonly values = new Map<string, string>();

  constructor(initial: Partial<Record<Noted, string>> = {}) {
    for (const [name, value] of Object.entries(initial)) this.values.set(name, value);
  }

  get(name: Noted): string {
    const value = this.values.get(name);
    if (value === undefined) throw new Error(`no answer so far showed a ${name}`);
    return value;
  }

  /** Notes the first of each id an answer's JSON shows (DynamoDB's `{"S": ...}` included). */
  learn(body: unknown): void {
    for (const name of NOTED) {
      const value = firstValue(body, name);
      if (value !== undefined) this.values.set(name, value);
    }
  }

  /** The command with each `<placeholder>` replaced by its noted value; fails on one it has no value for. */
  fill(command: string): string {
    return command.replace(/<([A-Za-z]+)>/g, (placeholder, name: string) => {
      const value = this.values.get(name);
      if (value === undefined) throw new Error(`the test has no value for ${placeholder} in: ${command}`);
      return value;
    });
  }
}

function firstValue(json: unknown, key: string): string | undefined {
  if (Array.isArray(json)) {
    for (const item of json) {
      const found = firstValue(item, key);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const own = (json as Record<string, unknown>)[key];
  if (typeof own === 'string') return own;
  const attribute = (own as { S?: unknown } | undefined)?.S;
  if (typeof attribute === 'string') return attribute;
  return firstValue(Object.values(json), key);
}

/**
 * The docs show `npm start`'s default ports; the e2e cloud runs on free ones (it must not collide with an
 * `npm start` in another terminal). Each `localhost:<default>` becomes the e2e cloud's URL.
 */
export function onTheE2eCloud(command: string): string {
  return Object.entries(portsFromEnv({})).reduce(
    (text, [name, port]) =>
      text.replace(
        new RegExp(`http://(localhost|127\\.0\\.0\\.1):${port}\\b`, 'g'),
        e2e.urls[name as PortName],
      ),
    command,
  );
}

export interface Answer {
  /** The HTTP status when the command printed one (`curl -i`). */
  readonly httpStatus?: number;
  /** The printed JSON, if what it printed (after the headers) is JSON. */
  readonly body?: unknown;
}

/** Reads what a command printed: `curl -i`'s status line and headers, then the body as JSON when it is JSON. */
export function readAnswer(stdout: string): Answer {
  let text = stdout;
  let httpStatus: number | undefined;
  // Possibly several header blocks (100 Continue): the last one is the answer's.
  while (/^HTTP\/[\d.]+ \d{3}/.test(text)) {
    httpStatus = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(text)?.[1]);
    const end = text.search(/\r?\n\r?\n/);
    text = end === -1 ? '' : text.slice(end).replace(/^\r?\n\r?\n/, '');
  }
  try {
    return { httpStatus, body: text.trim() === '' ? undefined : (JSON.parse(text) as unknown) };
  } catch {
    return { httpStatus };
  }
}

/**
 * At the e2e time scale (0.01) a pickup's 300 s heartbeat window is 3 s, less than a few AWS CLI starts take on a
 * busy machine. Until `stop`, this plays the carrier that has scheduled the pickup (PICKUP_SCHEDULED, a
 * SendTaskHeartbeat) every half second, as the sandbox carrier does; the task's TimeoutSeconds still bounds the
 * wait. It stops by itself once the token is answered.
 */
export function keepPickupWaiting(taskToken: string): { stop: () => Promise<void> } {
  let stopped = false;
  let failure: Error | undefined;
  const beating = (async () => {
    while (!stopped) {
      try {
        await e2e.sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
      } catch (error) {
        // TaskTimedOut: the token was answered, nothing waits on it any more.
        if ((error as Error).name !== 'TaskTimedOut') failure = error as Error;
        return;
      }
      await sleep(500);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await beating;
      if (failure !== undefined) throw failure;
    },
  };
}
