/// <reference lib="dom" />
/**
 * The AWS Step Functions API as the AWS CLI calls it (JSON 1.0: POST with X-Amz-Target), on the origin that served
 * the page. The console reads and acts only through these calls.
 */

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: string;
  creationDate: number;
}

export interface StateMachine extends StateMachineListItem {
  definition: string;
}

export type ExecutionStatus =
  'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
}

export interface Execution extends ExecutionListItem {
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** One GetExecutionHistory event: `type`, ids, epoch-seconds timestamp, and one `<type>EventDetails` object. */
export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** An AWS error answer (`__type`, `message`). */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(`${type}: ${message}`);
    this.name = 'ApiError';
  }
}

export async function call<T>(action: string, body: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch('/', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AWSStepFunctions.${action}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const json = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  if (!response.ok) {
    const asText = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const type = (asText(json.__type) ?? String(response.status)).replace(/^.*#/, '');
    throw new ApiError(type, asText(json.message) ?? asText(json.Message) ?? text);
  }
  return json as T;
}

export async function listAllStateMachines(): Promise<StateMachineListItem[]> {
  const all: StateMachineListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call<{ stateMachines: StateMachineListItem[]; nextToken?: string }>(
      'ListStateMachines',
      nextToken ? { nextToken } : {},
    );
    all.push(...page.stateMachines);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

/** Every event of an execution, following nextToken. */
export async function fullHistory(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call<{ events: HistoryEvent[]; nextToken?: string }>('GetExecutionHistory', {
      executionArn,
      maxResults: 1000,
      includeExecutionData: true,
      ...(nextToken ? { nextToken } : {}),
    });
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
