import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { mkdtempSync, appendFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findResumePoint, resumeDefinition, RESUME_STATE } from '../../../stepfunctions/resume';
import { ExecutionStore } from '../../../stepfunctions/store';

const ARN = 'arn:aws:states:us-east-1:000000000000:execution:m:e1';
const DEFINITION = {
  StartAt: 'Charge',
  States: {
    Charge: { Type: 'Task', Resource: 'arn:fn', Next: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 10, Next: 'Pickup' },
    Pickup: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', End: true },
  },
};
const token = `AQB${Buffer.from(JSON.stringify({ v: 1, id: 'x', e: ARN, s: 'Pickup' })).toString('base64url')}`;

let id = 0;
function event(
  type: string,
  details: Record<string, unknown> = {},
  at = '2026-01-01T00:00:00Z',
): HistoryEvent {
  id += 1;
  const key = type.endsWith('StateEntered')
    ? 'stateEnteredEventDetails'
    : type.endsWith('StateExited')
      ? 'stateExitedEventDetails'
      : `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
  return { id, previousEventId: id - 1, type, timestamp: new Date(at), [key]: details } as HistoryEvent;
}

const started = () => event('ExecutionStarted', { input: '{"orderId":"o1"}' });

describe('findResumePoint', () => {
  beforeEach(() => (id = 0));

  it('starts over at StartAt with the input when no state was entered', () => {
    expect(findResumePoint(DEFINITION, [started()], ARN)).toMatchObject({
      stateName: 'Charge',
      input: { orderId: 'o1' },
    });
  });

  it('starts over with the input StartExecution received when not even ExecutionStarted was kept', () => {
    expect(findResumePoint(DEFINITION, [], ARN, { orderId: 'o2', lines: [1] })).toMatchObject({
      stateName: 'Charge',
      input: { orderId: 'o2', lines: [1] },
      events: [],
    });
  });

  it('enters a Wait again with the time it was first entered, so only the rest is waited', () => {
    const events = [
      started(),
      event('TaskStateEntered', { name: 'Charge', input: '{"orderId":"o1"}' }),
      event('TaskStateExited', { name: 'Charge', output: '{"charged":true}' }),
      event('WaitStateEntered', { name: 'Pause', input: '{"charged":true}' }, '2026-01-01T00:00:05Z'),
    ];

    expect(findResumePoint(DEFINITION, events, ARN)).toMatchObject({
      stateName: 'Pause',
      input: { charged: true },
      enteredAt: Date.parse('2026-01-01T00:00:05Z'),
      events,
    });
  });

  it('goes on with the next state when the last one was left but the next never entered', () => {
    const events = [
      started(),
      event('TaskStateEntered', { name: 'Charge', input: '{}' }),
      event('TaskStateExited', { name: 'Charge', output: '{"charged":true}' }),
    ];

    expect(findResumePoint(DEFINITION, events, ARN)).toMatchObject({
      stateName: 'Pause',
      input: { charged: true },
    });
  });

  it("keeps a callback Task's token, and knows whether its function had already run", () => {
    const scheduled = [
      started(),
      event('TaskStateEntered', { name: 'Pickup', input: '{}' }),
      event('TaskScheduled', {
        parameters: JSON.stringify({ FunctionName: 'f', Payload: { taskToken: token } }),
      }),
    ];
    const submitted = [...scheduled, event('TaskSubmitted', {})];

    expect(findResumePoint(DEFINITION, scheduled, ARN)).toMatchObject({
      stateName: 'Pickup',
      token,
      submitted: false,
    });
    expect(findResumePoint(DEFINITION, submitted, ARN)).toMatchObject({
      stateName: 'Pickup',
      token,
      submitted: true,
    });
  });

  it("never takes another execution's token for this one's", () => {
    const foreign = `AQB${Buffer.from(JSON.stringify({ e: 'arn:other' })).toString('base64url')}`;
    const events = [
      started(),
      event('TaskStateEntered', { name: 'Pickup', input: '{}' }),
      event('TaskScheduled', { parameters: JSON.stringify({ Payload: { taskToken: foreign } }) }),
    ];

    expect(findResumePoint(DEFINITION, events, ARN)?.token).toBeUndefined();
  });
});

describe('findResumePoint with variables', () => {
  beforeEach(() => (id = 0));

  it('brings back the variables the top-level states assigned, the latest value of each', () => {
    const events = [
      started(),
      event('TaskStateEntered', { name: 'Charge', input: '{}' }),
      event('TaskStateExited', {
        name: 'Charge',
        output: '{}',
        assignedVariables: { charge: '"ch_1"', n: '1' },
      }),
      event('WaitStateEntered', { name: 'Pause', input: '{}' }),
      event('WaitStateExited', { name: 'Pause', output: '{}', assignedVariables: { n: '2' } }),
      event('TaskStateEntered', { name: 'Pickup', input: '{}' }),
    ];

    expect(findResumePoint(DEFINITION, events, ARN)?.variables).toEqual({ charge: 'ch_1', n: 2 });
  });
});

describe('resumeDefinition', () => {
  it('starts at a Pass state that hands the saved input to the state to resume', () => {
    const resumed = resumeDefinition(DEFINITION, {
      events: [],
      startDate: new Date(),
      stateName: 'Pause',
      input: { charged: true },
    });

    expect(resumed.StartAt).toBe(RESUME_STATE);
    expect((resumed.States as Record<string, unknown>)[RESUME_STATE]).toEqual({
      Type: 'Pass',
      QueryLanguage: 'JSONPath',
      Result: { charged: true },
      Next: 'Pause',
    });
    expect(Object.keys(resumed.States as object)).toEqual([RESUME_STATE, 'Charge', 'Pause', 'Pickup']);
  });
});

describe('ExecutionStore', () => {
  it('reads back what it wrote, and drops a line torn by a crash mid-write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-store-unit-'));
    const store = new ExecutionStore(dir);
    const start = {
      arn: ARN,
      name: 'e1',
      stateMachineArn: 'arn:sm',
      definition: '{}',
      roleArn: 'arn:role',
      input: '{}',
      startDate: '2026-01-01T00:00:00.000Z',
    };
    store.begin(start);
    id = 0;
    store.append(ARN, started());
    const [file] = readdirSync(join(dir, 'executions'));
    appendFileSync(join(dir, 'executions', file ?? ''), '{"event":{"id":2,"ty');

    const [loaded] = new ExecutionStore(dir).loadExecutions();

    expect(loaded).toMatchObject(start);
    expect(loaded?.events.map((e) => e.type)).toEqual(['ExecutionStarted']);
    expect(loaded?.events[0]?.timestamp).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('keeps state machines across instances', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-store-unit-'));
    const machine = {
      name: 'm',
      arn: 'arn:sm',
      definition: '{}',
      roleArn: 'r',
      type: 'STANDARD',
      creationDate: 'x',
    };
    new ExecutionStore(dir).saveStateMachines([machine]);

    expect(new ExecutionStore(dir).loadStateMachines()).toEqual([machine]);
  });
});
