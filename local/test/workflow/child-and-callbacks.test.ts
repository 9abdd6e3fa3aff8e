/**
 * The kit runs a parent whose `states:startExecution.sync:2` Task starts a child machine, and answers the child's
 * `.waitForTaskToken` Task on the fake clock. Both machines are test-only definitions (not in statemachines/), and
 * their Tasks are stubs: this checks the kit and the engine, not the application.
 */
import type { JsonObject } from '../../stepfunctions/definition';
import type { Json } from '../../stepfunctions/engine';
import { runWorkflow, sendTaskFailure, VirtualClock, type RunOptions } from '../../testkit';

const CARRIER = 'arn:aws:lambda:us-east-1:000000000000:function:carrier';

const parent: JsonObject = {
  StartAt: 'Ship',
  States: {
    Ship: {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: {
        StateMachineArn: '${KitChildStateMachineArn}',
        'Name.$': '$.orderId',
        Input: {
          'orderId.$': '$.orderId',
          'items.$': '$.items',
          'express.$': '$.express',
          'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
        },
      },
      ResultSelector: { 'trackingNumber.$': '$.Output.trackingNumber' },
      ResultPath: '$.shipment',
      Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'ShipFailed' }],
      End: true,
    },
    ShipFailed: { Type: 'Fail', Error: 'ShippingFailed' },
  },
};

const child: JsonObject = {
  StartAt: 'Reserve',
  States: {
    Reserve: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'ReserveItem',
        States: { ReserveItem: { Type: 'Task', Resource: CARRIER, End: true } },
      },
      ResultPath: '$.reserved',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'OutOfStock' }],
      Next: 'Speed',
    },
    Speed: {
      Type: 'Choice',
      Choices: [{ Variable: '$.express', BooleanEquals: true, Next: 'Prepare' }],
      Default: 'Pause',
    },
    Pause: { Type: 'Wait', Seconds: 600, Next: 'Prepare' },
    Prepare: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Label', States: { Label: { Type: 'Task', Resource: CARRIER, End: true } } },
        { StartAt: 'Confirm', States: { Confirm: { Type: 'Task', Resource: CARRIER, End: true } } },
      ],
      ResultSelector: { 'trackingNumber.$': '$[0].trackingNumber' },
      ResultPath: '$.label',
      Next: 'AwaitPickup',
    },
    AwaitPickup: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: CARRIER,
        Payload: { 'orderId.$': '$.orderId', 'taskToken.$': '$$.Task.Token' },
      },
      HeartbeatSeconds: 60,
      TimeoutSeconds: 3600,
      ResultPath: '$.pickup',
      Catch: [
        { ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.error', Next: 'CarrierSilent' },
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'NoPickup' },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Pass', Parameters: { 'trackingNumber.$': '$.label.trackingNumber' }, End: true },
    OutOfStock: { Type: 'Fail', Error: 'OutOfStock' },
    CarrierSilent: { Type: 'Fail', Error: 'CarrierSilent' },
    NoPickup: { Type: 'Fail', Error: 'NoPickup' },
  },
};

const START = Date.UTC(2024, 5, 1);

function run(input: Partial<{ items: Json[]; express: boolean }>, options: RunOptions = {}) {
  const tokens: string[] = [];
  const result = runWorkflow(
    'kitParent',
    { orderId: `ord-${Math.random().toString(36).slice(2, 8)}`, items: ['a', 'b'], express: true, ...input },
    {
      definitions: { kitParent: parent, kitChild: child },
      clock: new VirtualClock(START),
      stubs: {
        ReserveItem: (item) => {
          if (item === 'gone') throw Object.assign(new Error('no stock'), { name: 'OutOfStockError' });
          return { reserved: item };
        },
        Label: () => ({ trackingNumber: 'TRK-1' }),
        Confirm: () => ({ sent: true }),
        AwaitPickup: (payload) => {
          tokens.push(String((payload as { taskToken: string }).taskToken));
          return { accepted: true };
        },
      },
      ...options,
    },
  );
  return { result, tokens };
}

const at = (events: readonly { type?: string; timestamp?: Date }[], type: string) =>
  events.filter((e) => e.type === type).map((e) => ((e.timestamp?.getTime() ?? 0) - START) / 1000);

describe('workflow kit: child executions and task tokens', () => {
  it('runs the child started by .sync:2 and answers its task token after 2 minutes with heartbeats', async () => {
    const { result } = run(
      { express: false },
      {
        callbacks: {
          AwaitPickup: { success: { pickedUpAt: 'dock 4' }, afterSeconds: 120, heartbeatEverySeconds: 30 },
        },
      },
    );
    const parentResult = await result;

    expect(parentResult).toMatchObject({ machine: 'kitParent', status: 'SUCCEEDED' });
    expect(parentResult.output).toMatchObject({ shipment: { trackingNumber: 'TRK-1' } });
    expect(parentResult.children).toHaveLength(1);
    const [fulfilment] = parentResult.children;
    expect(fulfilment).toMatchObject({
      machine: 'kitChild',
      status: 'SUCCEEDED',
      output: { trackingNumber: 'TRK-1' },
    });
    expect(fulfilment?.states).toEqual([
      'Reserve',
      'ReserveItem',
      'ReserveItem',
      'Speed',
      'Pause',
      'Prepare',
      'Label',
      'Confirm',
      'AwaitPickup',
      'Done',
    ]);
    expect(fulfilment?.waits).toEqual([{ state: 'Pause', seconds: 600 }]);
    // The token task waited 2 minutes of fake time, past HeartbeatSeconds 60, kept alive by heartbeats.
    expect(at(fulfilment?.events ?? [], 'TaskSubmitted')).toEqual([600]);
    expect(at(fulfilment?.events ?? [], 'TaskSucceeded')).toEqual([720]);
    expect(at(parentResult.events, 'TaskSucceeded')).toEqual([720]);
    const input = JSON.parse(
      fulfilment?.events[0]?.executionStartedEventDetails?.input ?? '{}',
    ) as JsonObject;
    expect(input.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID).toBe(parentResult.executionArn);
  });

  it('fails the child with a heartbeat timeout after 60 s, and the parent catches States.TaskFailed', async () => {
    const { result } = run({}, { callbacks: { AwaitPickup: 'heartbeat-timeout' } });
    const parentResult = await result;

    expect(parentResult).toMatchObject({ status: 'FAILED', error: 'ShippingFailed' });
    expect(parentResult.states).toEqual(['Ship', 'ShipFailed']);
    const [fulfilment] = parentResult.children;
    expect(fulfilment).toMatchObject({ status: 'FAILED', error: 'CarrierSilent' });
    expect(at(fulfilment?.events ?? [], 'TaskTimedOut')).toEqual([60]);
    expect(fulfilment?.attempts.at(-1)).toMatchObject({ state: 'AwaitPickup', outcome: 'TIMED_OUT' });
  });

  it("keeps the task alive with heartbeats on 'timeout' until TimeoutSeconds fires", async () => {
    const { result } = run({}, { callbacks: { AwaitPickup: 'timeout' } });
    const [fulfilment] = (await result).children;

    expect(fulfilment).toMatchObject({ status: 'FAILED', error: 'NoPickup' });
    expect(at(fulfilment?.events ?? [], 'TaskTimedOut')).toEqual([3600]);
  });

  it('lets a test answer with sendTaskFailure while the execution waits', async () => {
    const { result } = run(
      {},
      {
        callbacks: {
          AwaitPickup: (token) => {
            setImmediate(() => sendTaskFailure(token, 'PickupRefused', 'dock closed'));
            return undefined;
          },
        },
      },
    );
    const parentResult = await result;
    const [fulfilment] = parentResult.children;

    expect(fulfilment).toMatchObject({ status: 'FAILED', error: 'PickupRefused', cause: 'dock closed' });
    const cause = JSON.parse(parentResult.cause ?? 'null') as unknown;
    expect(cause).toBeNull();
    const failed = parentResult.events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails;
    expect(failed?.error).toBe('States.TaskFailed');
    expect(JSON.parse(failed?.cause ?? '{}')).toMatchObject({ Error: 'PickupRefused', Status: 'FAILED' });
  });

  it('catches a failed Map iteration on the Map', async () => {
    const { result, tokens } = run({ items: ['a', 'gone'] });
    const [fulfilment] = (await result).children;

    expect(fulfilment).toMatchObject({ status: 'FAILED', error: 'OutOfStock' });
    expect(fulfilment?.states.at(-1)).toBe('OutOfStock');
    expect(tokens).toEqual([]);
    // As AWS records a caught Map failure: MapStateFailed, then MapStateExited (no MapStateSucceeded).
    const mapEvents = fulfilment?.events.map((e) => e.type).filter((t) => t?.startsWith('MapState'));
    expect(mapEvents).toEqual(['MapStateEntered', 'MapStateStarted', 'MapStateFailed', 'MapStateExited']);
  });

  it('rejects a callback for a state that waits for no token', async () => {
    await expect(run({}, { callbacks: { Label: 'timeout' } }).result).rejects.toThrow(
      'callbacks: kitParent has no .waitForTaskToken Task state "Label"',
    );
  });
});
