/**
 * The AWS JSON 1.0 shapes of the local Step Functions service: its records, its error, and how requests are read and
 * answers written (describe*, history events, paging, epoch-second timestamps).
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionHandle } from './engine';

/** An AWS error response: HTTP 400 with `__type` and `message`, as the SDK parses them. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface StateMachineRecord {
  name: string;
  arn: string;
  definition: string;
  roleArn: string;
  type: string;
  creationDate: Date;
  updateDate?: Date;
}

export interface ExecutionRecord {
  arn: string;
  name: string;
  stateMachineArn: string;
  definition: string;
  input: string;
  /** ISO start time, for ordering. */
  startedAt: string;
  handle: ExecutionHandle;
}

export type Request = Record<string, unknown>;

export function describeStateMachine(sm: StateMachineRecord): unknown {
  return {
    stateMachineArn: sm.arn,
    name: sm.name,
    status: 'ACTIVE',
    definition: sm.definition,
    roleArn: sm.roleArn,
    type: sm.type,
    creationDate: epoch(sm.creationDate),
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  };
}

export function describeExecution(e: ExecutionRecord): unknown {
  const { handle } = e;
  return {
    executionArn: e.arn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: handle.status,
    startDate: epoch(handle.startDate),
    ...(handle.stopDate ? { stopDate: epoch(handle.stopDate) } : {}),
    input: e.input,
    inputDetails: { included: true },
    ...(handle.output !== undefined ? { output: handle.output, outputDetails: { included: true } } : {}),
    ...(handle.error !== undefined ? { error: handle.error } : {}),
    ...(handle.cause !== undefined ? { cause: handle.cause } : {}),
    redriveCount: 0,
  };
}

/** Timestamps as the JSON 1.0 protocol sends them (epoch seconds); input/output dropped on request. */
export function serializeEvent(event: HistoryEvent, includeData: boolean): HistoryEvent {
  const copy: Record<string, unknown> = {
    ...event,
    timestamp: event.timestamp ? epoch(event.timestamp) : undefined,
  };
  if (!includeData) {
    for (const [key, value] of Object.entries(copy)) {
      if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
      const details = { ...(value as Record<string, unknown>) };
      for (const field of ['input', 'output', 'parameters']) {
        if (field in details) {
          delete details[field];
          if (field !== 'parameters') details[`${field}Details`] = { truncated: false, included: false };
        }
      }
      copy[key] = details;
    }
  }
  return copy as unknown as HistoryEvent;
}

export function paginate<T>(items: T[], request: Request): { page: T[]; nextToken?: string } {
  const max =
    typeof request.maxResults === 'number' && request.maxResults > 0
      ? Math.min(request.maxResults, 1000)
      : 100;
  let offset = 0;
  if (typeof request.nextToken === 'string') {
    offset = Number(Buffer.from(request.nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new ServiceError('InvalidToken', 'Invalid Token');
  }
  const page = items.slice(offset, offset + max);
  const next = offset + max;
  return {
    page,
    ...(next < items.length ? { nextToken: Buffer.from(String(next)).toString('base64url') } : {}),
  };
}

export function epoch(date: Date): number {
  return date.getTime() / 1000;
}

export function requireString(request: Request, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value === '') {
    throw new ServiceError(
      'ValidationException',
      `Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
