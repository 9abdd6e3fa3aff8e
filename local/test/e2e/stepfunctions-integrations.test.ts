/**
 * The local Step Functions service's integration patterns through the SDK v3 SFNClient: child executions started by
 * `states:startExecution[.sync[:2]]` Tasks, and `.waitForTaskToken` Tasks answered with SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat, with AWS's errors, timeouts and history events.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { InvokeTask, Json } from '../../stepfunctions/engine';
import { startStepFunctionsServer, type StepFunctionsServer } from '../../stepfunctions/server';
import { LOCAL_ACCOUNT_ID } from '../../serverless-config';

/** The history of a one-Task execution whose integration waits (.sync or a task token) and succeeds. */
const SUBMITTED_TASK_EVENTS = [
  'ExecutionStarted',
  'TaskStateEntered',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSucceeded',
  'TaskStateExited',
  'ExecutionSucceeded',
];

const ROLE = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/test`;
const fn = (name: string) => `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT_ID}:function:${name}`;
const machineArn = (name: string) => `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:stateMachine:${name}`;

/** Tokens the fake "carrier" function received, by the `ref` of its payload. */
const received = new Map<string, string>();

const fakeTasks: InvokeTask = (target, input): Json => {
  const name = target.split(':').pop();
  const payload = (input ?? {}) as { [key: string]: string };
  if (name === 'carrier') {
    received.set(payload.ref ?? '', payload.taskToken ?? '');
    return { accepted: true };
  }
  if (name === 'label') return { label: `LBL-${payload.orderId ?? ''}` };
  throw new Error(`no fake for ${target}`);
};

// Generous under a loaded machine: the e2e project also runs the whole local cloud.
jest.setTimeout(20_000);

let server: StepFunctionsServer;
let sfn: SFNClient;

beforeAll(async () => {
  // 1 % of AWS time: HeartbeatSeconds 50 is 0.5 s, TimeoutSeconds 150 is 1.5 s.
  server = await startStepFunctionsServer({ port: 0, timeScale: 0.01, invokeTask: fakeTasks });
  sfn = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sfn.destroy();
  await server.stop();
});

async function createMachine(name: string, definition: object): Promise<string> {
  const out = await sfn.send(
    new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE }),
  );
  return out.stateMachineArn ?? '';
}

async function start(stateMachineArn: string, input: Json = {}, name?: string): Promise<string> {
  const out = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }),
  );
  return out.executionArn ?? '';
}

async function waitForEnd(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

async function tokenFor(ref: string): Promise<string> {
  const deadline = Date.now() + 5_000;
  while (!received.has(ref)) {
    if (Date.now() > deadline) throw new Error(`no task token for ${ref}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return received.get(ref) ?? '';
}

const sdkError = async (promise: Promise<unknown>) => {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name?: string; message?: string } | undefined;
  return { name: error?.name, message: error?.message };
};

describe('states:startExecution child executions', () => {
  const child = {
    StartAt: 'Route',
    States: {
      Route: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.fail', BooleanEquals: true, Next: 'Broken' },
          { Variable: '$.slow', BooleanEquals: true, Next: 'Slowly' },
        ],
        Default: 'Label',
      },
      Slowly: { Type: 'Wait', Seconds: 3600, Next: 'Label' },
      Label: { Type: 'Task', Resource: fn('label'), End: true },
      Broken: { Type: 'Fail', Error: 'CarrierDown', Cause: 'no carrier today' },
    },
  };
  const parent = (resource: string) => ({
    StartAt: 'Ship',
    States: {
      Ship: {
        Type: 'Task',
        Resource: resource,
        Parameters: {
          StateMachineArn: machineArn('sync-child'),
          'Name.$': '$.orderId',
          Input: {
            'orderId.$': '$.orderId',
            'fail.$': '$.fail',
            'slow.$': '$.slow',
            'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
          },
        },
        Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'ShipFailed' }],
        End: true,
      },
      ShipFailed: { Type: 'Pass', End: true },
    },
  });
  let childArn: string;
  let sync2Arn: string;

  beforeAll(async () => {
    childArn = await createMachine('sync-child', child);
    sync2Arn = await createMachine('sync2-parent', parent('arn:aws:states:::states:startExecution.sync:2'));
  });

  it('.sync:2 runs the child in the service, lists it, and returns its Output as JSON', async () => {
    const parentArn = await start(sync2Arn, { orderId: 'ord-sync2', fail: false, slow: false });

    const done = await waitForEnd(parentArn);

    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output ?? '') as Record<string, unknown>;
    expect(output).toEqual({
      ExecutionArn: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:execution:sync-child:ord-sync2`,
      Input: {
        orderId: 'ord-sync2',
        fail: false,
        slow: false,
        AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: parentArn,
      },
      InputDetails: { Included: true },
      Name: 'ord-sync2',
      Output: { label: 'LBL-ord-sync2' },
      OutputDetails: { Included: true },
      StartDate: expect.any(Number),
      StateMachineArn: childArn,
      Status: 'SUCCEEDED',
      StopDate: expect.any(Number),
    });
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: childArn }));
    expect(listed.executions?.map((e) => [e.name, e.status])).toContainEqual(['ord-sync2', 'SUCCEEDED']);
    const events = await history(parentArn);
    expect(events.map((e) => e.type)).toEqual(SUBMITTED_TASK_EVENTS);
    expect(events[2]?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'states',
      resource: 'startExecution.sync:2',
      region: 'us-east-1',
    });
    const submitted = JSON.parse(events[4]?.taskSubmittedEventDetails?.output ?? '') as Record<
      string,
      unknown
    >;
    expect(submitted).toMatchObject({ ExecutionArn: output.ExecutionArn, StartDate: expect.any(Number) });
  });

  it('.sync keeps the Output a string; plain startExecution returns at once with the ARN', async () => {
    const syncArn = await createMachine('sync-parent', parent('arn:aws:states:::states:startExecution.sync'));
    const fireArn = await createMachine('fire-parent', parent('arn:aws:states:::states:startExecution'));

    const sync = await waitForEnd(await start(syncArn, { orderId: 'ord-sync', fail: false, slow: false }));
    const fire = await waitForEnd(await start(fireArn, { orderId: 'ord-fire', fail: false, slow: true }));

    expect(JSON.parse(sync.output ?? '')).toMatchObject({
      Output: '{"label":"LBL-ord-sync"}',
      Input: expect.any(String),
    });
    expect(fire.status).toBe('SUCCEEDED');
    expect(JSON.parse(fire.output ?? '')).toMatchObject({
      ExecutionArn: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:execution:sync-child:ord-fire`,
      StartDate: expect.any(Number),
    });
    const started = await sfn.send(
      new DescribeExecutionCommand({
        executionArn: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:execution:sync-child:ord-fire`,
      }),
    );
    expect(started.status).toBe('RUNNING');
    await sfn.send(new StopExecutionCommand({ executionArn: started.executionArn }));
  });

  it('fails the Task with States.TaskFailed and the child DescribeExecution as Cause', async () => {
    const parentArn = await start(sync2Arn, { orderId: 'ord-broken', fail: true, slow: false });

    const done = await waitForEnd(parentArn);

    expect(done.status).toBe('SUCCEEDED');
    const { error } = JSON.parse(done.output ?? '') as { error: { Error: string; Cause: string } };
    expect(error.Error).toBe('States.TaskFailed');
    expect(JSON.parse(error.Cause)).toMatchObject({
      Error: 'CarrierDown',
      Cause: 'no carrier today',
      Status: 'FAILED',
      Name: 'ord-broken',
    });
    const failed = (await history(parentArn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({
      error: 'States.TaskFailed',
      resourceType: 'states',
      resource: 'startExecution.sync:2',
    });
  });

  it('maps a StartExecution error to StepFunctions.<Code>Exception', async () => {
    const missing = await createMachine('missing-child-parent', {
      StartAt: 'Ship',
      States: {
        Ship: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: machineArn('does-not-exist') },
          End: true,
        },
      },
    });

    const done = await waitForEnd(await start(missing));

    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('StepFunctions.StateMachineDoesNotExistException');
    expect(done.cause).toMatch(
      /^State Machine Does Not Exist: .*Service: AWSStepFunctions; Status Code: 400/,
    );
  });

  it('stopping the parent aborts the child it waits for', async () => {
    const parentArn = await start(sync2Arn, { orderId: 'ord-stop', fail: false, slow: true });
    const childExecutionArn = `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:execution:sync-child:ord-stop`;
    await waitForRunning(childExecutionArn);

    await sfn.send(new StopExecutionCommand({ executionArn: parentArn }));

    expect((await waitForEnd(parentArn)).status).toBe('ABORTED');
    expect((await waitForEnd(childExecutionArn)).status).toBe('ABORTED');
  });
});

async function waitForRunning(executionArn: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = await sfn.send(new DescribeExecutionCommand({ executionArn })).catch(() => undefined);
    if (found?.status === 'RUNNING') return;
    if (Date.now() > deadline) throw new Error(`${executionArn} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('.waitForTaskToken callbacks', () => {
  const callbackMachine = {
    StartAt: 'AwaitPickup',
    States: {
      AwaitPickup: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: fn('carrier'),
          Payload: { 'ref.$': '$.ref', 'taskToken.$': '$$.Task.Token' },
        },
        HeartbeatSeconds: 50,
        TimeoutSeconds: 150,
        Catch: [
          { ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.error', Next: 'NoHeartbeat' },
          { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TooLate' },
          { ErrorEquals: ['PickupFailed'], ResultPath: '$.error', Next: 'Refused' },
        ],
        ResultPath: '$.pickup',
        End: true,
      },
      NoHeartbeat: { Type: 'Pass', End: true },
      TooLate: { Type: 'Pass', End: true },
      Refused: { Type: 'Pass', End: true },
    },
  };
  let arn: string;

  beforeAll(async () => {
    arn = await createMachine('callback', callbackMachine);
  });

  it('passes the token in $$.Task.Token and resumes with the SendTaskSuccess output', async () => {
    const executionArn = await start(arn, { ref: 'ok' });
    const token = await tokenFor('ok');

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"pickedUpAt":"09:00"}' }));

    const done = await waitForEnd(executionArn);
    expect(JSON.parse(done.output ?? '')).toEqual({ ref: 'ok', pickup: { pickedUpAt: '09:00' } });
    const events = await history(executionArn);
    expect(events.map((e) => e.type)).toEqual(SUBMITTED_TASK_EVENTS);
    expect(events[2]?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      heartbeatInSeconds: 50,
      timeoutInSeconds: 150,
    });
    expect(JSON.parse(events[2]?.taskScheduledEventDetails?.parameters ?? '')).toMatchObject({
      Payload: { taskToken: token },
    });
    expect(JSON.parse(events[4]?.taskSubmittedEventDetails?.output ?? '')).toMatchObject({
      StatusCode: 200,
      Payload: { accepted: true },
    });
    expect(events[5]?.taskSucceededEventDetails?.output).toBe('{"pickedUpAt":"09:00"}');
  });

  it('answers a used token TaskTimedOut, a foreign one TaskDoesNotExist, garbage InvalidToken', async () => {
    const token = await tokenFor('ok');
    const foreign = `AQB${Buffer.from(JSON.stringify({ v: 1, id: 'x' })).toString('base64url')}`;

    const used = await sdkError(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));
    const unknown = await sdkError(sfn.send(new SendTaskHeartbeatCommand({ taskToken: foreign })));
    const garbage = await sdkError(sfn.send(new SendTaskFailureCommand({ taskToken: 'not-a-token' })));

    expect(used).toEqual({
      name: 'TaskTimedOut',
      message: "Task Timed Out: 'Provided task does not exist anymore'",
    });
    expect(unknown.name).toBe('TaskDoesNotExist');
    expect(garbage).toEqual({ name: 'InvalidToken', message: "Invalid Token: 'Invalid token'" });
  });

  it('refuses output that is not JSON with InvalidOutput, and the task keeps waiting', async () => {
    const executionArn = await start(arn, { ref: 'bad-output' });
    const token = await tokenFor('bad-output');

    const invalid = await sdkError(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{nope' })),
    );
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'PickupFailed', cause: 'no driver' }),
    );

    expect(invalid.name).toBe('InvalidOutput');
    const done = await waitForEnd(executionArn);
    expect(JSON.parse(done.output ?? '')).toEqual({
      ref: 'bad-output',
      error: { Error: 'PickupFailed', Cause: 'no driver' },
    });
    const failed = (await history(executionArn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'PickupFailed',
      cause: 'no driver',
    });
  });

  it('keeps a task alive with heartbeats past HeartbeatSeconds', async () => {
    const executionArn = await start(arn, { ref: 'beating' });
    const token = await tokenFor('beating');

    // 8 heartbeats 0.1 s apart: past HeartbeatSeconds (0.5 s) without a gap as long.
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"picked up"' }));

    expect(JSON.parse((await waitForEnd(executionArn)).output ?? '')).toEqual({
      ref: 'beating',
      pickup: 'picked up',
    });
  });

  it('times out without heartbeats (States.HeartbeatTimeout catcher), recorded as States.Timeout', async () => {
    const executionArn = await start(arn, { ref: 'silent' });
    const token = await tokenFor('silent');

    const done = await waitForEnd(executionArn);

    expect(JSON.parse(done.output ?? '')).toMatchObject({
      ref: 'silent',
      error: { Error: 'States.HeartbeatTimeout' },
    });
    const events = await history(executionArn);
    expect(events.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'States.Timeout',
    });
    expect(events.map((e) => e.stateEnteredEventDetails?.name).filter(Boolean)).toEqual([
      'AwaitPickup',
      'NoHeartbeat',
    ]);
    const late = await sdkError(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));
    expect(late.name).toBe('TaskTimedOut');
  });

  it('times out after TimeoutSeconds even with heartbeats', async () => {
    const executionArn = await start(arn, { ref: 'too-late' });
    const token = await tokenFor('too-late');
    const beat = setInterval(() => {
      sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })).catch(() => clearInterval(beat));
    }, 100);

    const done = await waitForEnd(executionArn);
    clearInterval(beat);

    expect(JSON.parse(done.output ?? '')).toMatchObject({ error: { Error: 'States.Timeout' } });
    expect(
      (await history(executionArn)).map((e) => e.stateEnteredEventDetails?.name).filter(Boolean),
    ).toEqual(['AwaitPickup', 'TooLate']);
  });

  it('stopping the execution closes its token', async () => {
    const executionArn = await start(arn, { ref: 'stopped' });
    const token = await tokenFor('stopped');

    await sfn.send(new StopExecutionCommand({ executionArn }));

    expect((await waitForEnd(executionArn)).status).toBe('ABORTED');
    const late = await sdkError(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));
    expect(late.name).toBe('TaskTimedOut');
  });
});
