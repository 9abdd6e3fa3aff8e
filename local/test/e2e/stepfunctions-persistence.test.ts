/**
 * The local Step Functions service keeps state machines and executions on disk: a stop (Ctrl-C) with executions in
 * flight and a new start on the same folder resumes every one where it was. Each test starts its own service.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InvokeTask, Json } from '../../stepfunctions/engine';
import { startStepFunctionsServer, type StepFunctionsServer } from '../../stepfunctions/server';
import { ExecutionStore } from '../../stepfunctions/store';
import { LOCAL_ACCOUNT_ID } from '../../serverless-config';

const ROLE = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/test`;
const fn = (name: string) => `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT_ID}:function:${name}`;

const WAIT_THEN_TASK = {
  StartAt: 'First',
  States: {
    First: { Type: 'Task', Resource: fn('count'), ResultPath: '$.first', Next: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 4, Next: 'Second' },
    Second: { Type: 'Task', Resource: fn('count'), ResultPath: '$.second', End: true },
  },
};

const JSONATA_WITH_VARIABLES = {
  QueryLanguage: 'JSONata',
  StartAt: 'Remember',
  States: {
    Remember: { Type: 'Pass', Assign: { greeting: '{% "hello " & $states.input.name %}' }, Next: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 4, Next: 'Answer' },
    Answer: { Type: 'Pass', Output: { said: '{% $greeting %}' }, End: true },
  },
};

const CALLBACK = {
  StartAt: 'AskCarrier',
  States: {
    AskCarrier: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: fn('remember'), Payload: { 'token.$': '$$.Task.Token' } },
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

let dataDir: string;
const calls: { target: string; input: Json }[] = [];
const invokeTask: InvokeTask = (target, input) => {
  calls.push({ target, input });
  return { calls: calls.length };
};
const servers: StepFunctionsServer[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sfn-store-'));
  calls.length = 0;
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ server: StepFunctionsServer; sfn: SFNClient }> {
  // Time scale 0.25: the 4 s Wait takes 1 s.
  const server = await startStepFunctionsServer({ port: 0, timeScale: 0.25, invokeTask, dataDir });
  servers.push(server);
  const sfn = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return { server, sfn };
}

async function stop(server: StepFunctionsServer): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  await server.stop();
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

async function ended(sfn: SFNClient, executionArn: string) {
  return until(async () => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === 'RUNNING' ? undefined : described;
  });
}

describe('local Step Functions persistence', () => {
  it('resumes an execution stopped in a Wait: the Wait finishes, the next Task runs, the history goes on', async () => {
    const first = await start();
    const { stateMachineArn } = await first.sfn.send(
      new CreateStateMachineCommand({
        name: 'wait',
        definition: JSON.stringify(WAIT_THEN_TASK),
        roleArn: ROLE,
      }),
    );
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'order-1', input: '{"orderId":"o1"}' }),
    );
    await until(async () =>
      (await history(first.sfn, executionArn)).some((e) => e.type === 'WaitStateEntered') ? true : undefined,
    );
    const before = await history(first.sfn, executionArn);
    await stop(first.server);

    const second = await start();
    const done = await ended(second.sfn, executionArn);

    expect(done).toMatchObject({ status: 'SUCCEEDED', name: 'order-1', input: '{"orderId":"o1"}' });
    expect(JSON.parse(done.output ?? '{}')).toEqual({
      orderId: 'o1',
      first: { calls: 1 },
      second: { calls: 2 },
    });
    expect(calls.map((call) => call.target)).toEqual([fn('count'), fn('count')]);
    const after = await history(second.sfn, executionArn);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((e) => e.id)).toEqual(after.map((_, i) => i + 1));
    expect(after.filter((e) => e.type === 'ExecutionStarted')).toHaveLength(1);
    expect(after.slice(before.length).map((e) => e.type)).toEqual([
      'WaitStateEntered',
      'WaitStateExited',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    // The state machine came back too.
    const machines = await second.sfn.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((sm) => sm.name)).toEqual(['wait']);
  });

  it('keeps the variables a JSONata execution assigned before the restart', async () => {
    const first = await start();
    const { stateMachineArn } = await first.sfn.send(
      new CreateStateMachineCommand({
        name: 'variables',
        definition: JSON.stringify(JSONATA_WITH_VARIABLES),
        roleArn: ROLE,
      }),
    );
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'v', input: '{"name":"Ada"}' }),
    );
    await until(async () =>
      (await history(first.sfn, executionArn)).some((e) => e.type === 'WaitStateEntered') ? true : undefined,
    );
    await stop(first.server);

    const second = await start();
    const done = await ended(second.sfn, executionArn);

    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"said":"hello Ada"}' });
  });

  it('keeps a waiting task token valid across a restart, without invoking the function again', async () => {
    const first = await start();
    const { stateMachineArn } = await first.sfn.send(
      new CreateStateMachineCommand({
        name: 'callback',
        definition: JSON.stringify(CALLBACK),
        roleArn: ROLE,
      }),
    );
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'order-2', input: '{}' }),
    );
    await until(async () =>
      (await history(first.sfn, executionArn)).some((e) => e.type === 'TaskSubmitted') ? true : undefined,
    );
    const token = (calls[0]?.input as { token: string }).token;
    await stop(first.server);

    const second = await start();
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"picked":true}' }));
    const done = await ended(second.sfn, executionArn);

    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"picked":true}' });
    expect(calls).toHaveLength(1);
  });

  it('runs an execution whose service stopped before its first event was kept, from its StartExecution input', async () => {
    const definition = JSON.stringify({
      StartAt: 'Echo',
      States: { Echo: { Type: 'Pass', OutputPath: '$.lines', End: true } },
    });
    const machineArn = `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:stateMachine:early`;
    const executionArn = `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:execution:early:e`;
    const store = new ExecutionStore(dataDir);
    store.saveStateMachines([
      {
        name: 'early',
        arn: machineArn,
        definition,
        roleArn: ROLE,
        type: 'STANDARD',
        creationDate: new Date().toISOString(),
      },
    ]);
    store.begin({
      arn: executionArn,
      name: 'e',
      stateMachineArn: machineArn,
      definition,
      roleArn: ROLE,
      input: '{"lines":[1,2]}',
      startDate: new Date().toISOString(),
    });

    const { sfn } = await start();
    const done = await ended(sfn, executionArn);

    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '[1,2]' });
    expect((await history(sfn, executionArn)).map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('serves an execution that had ended before the restart as it ended', async () => {
    const first = await start();
    const { stateMachineArn } = await first.sfn.send(
      new CreateStateMachineCommand({
        name: 'quick',
        definition: JSON.stringify({
          StartAt: 'Only',
          States: { Only: { Type: 'Pass', Result: 7, End: true } },
        }),
        roleArn: ROLE,
      }),
    );
    const { executionArn = '' } = await first.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'q' }),
    );
    const before = await ended(first.sfn, executionArn);
    await stop(first.server);

    const second = await start();
    const after = await second.sfn.send(new DescribeExecutionCommand({ executionArn }));

    expect(after).toMatchObject({
      status: 'SUCCEEDED',
      output: '7',
      startDate: before.startDate,
      stopDate: before.stopDate,
    });
  });
});
