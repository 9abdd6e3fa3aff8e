import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { VirtualClock, type InvokeTask, type Json } from '../../stepfunctions/engine';
import { startStepFunctionsServer, type StepFunctionsServer } from '../../stepfunctions/server';
import { LOCAL_ACCOUNT_ID } from '../../serverless-config';

const ROLE = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/test`;
const fn = (name: string) => `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT_ID}:function:${name}`;

/** In-process Task functions, keyed by the function name of the resource ARN. */
const fakeTasks: InvokeTask = async (target, input, { attempt, signal }): Promise<Json> => {
  const name = target.split(':').pop();
  if (name === 'echo') return { echoed: input };
  if (name === 'flaky' && attempt < 3)
    throw Object.assign(new Error(`attempt ${attempt} failed`), { name: 'Boom' });
  if (name === 'flaky') return { attempts: attempt };
  if (name === 'fatal') throw Object.assign(new Error('card declined'), { name: 'PaymentFailedError' });
  if (name === 'hang') {
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return null;
  }
  throw new Error(`no fake for ${target}`);
};

function clientFor(server: StepFunctionsServer): SFNClient {
  return new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

async function createMachine(sfn: SFNClient, name: string, definition: object): Promise<string> {
  const out = await sfn.send(
    new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE }),
  );
  return out.stateMachineArn ?? '';
}

async function runToEnd(sfn: SFNClient, stateMachineArn: string, input: Json = {}, name?: string) {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }),
  );
  return waitForEnd(sfn, executionArn ?? '');
}

async function waitForEnd(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING after 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

const orderLike = {
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Choice',
      Choices: [{ Variable: '$.amount', NumericGreaterThan: 100, Next: 'TooMuch' }],
      Default: 'Charge',
    },
    Charge: {
      Type: 'Task',
      Resource: fn('flaky'),
      ResultPath: '$.charge',
      Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 5, BackoffRate: 2, MaxAttempts: 3 }],
      Next: 'Fanout',
    },
    Fanout: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Echo',
          States: { Echo: { Type: 'Task', Resource: fn('echo'), InputPath: '$.charge', End: true } },
        },
        { StartAt: 'Label', States: { Label: { Type: 'Pass', Result: 'packed', End: true } } },
      ],
      ResultPath: '$.fanout',
      Next: 'EachItem',
    },
    EachItem: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Double',
        States: { Double: { Type: 'Pass', Parameters: { 'sku.$': '$.sku' }, End: true } },
      },
      ResultPath: '$.skus',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    TooMuch: { Type: 'Fail', Error: 'LimitExceeded', Cause: 'amount above 100' },
  },
};

describe('local Step Functions service through the SDK v3 SFNClient', () => {
  let server: StepFunctionsServer;
  let sfn: SFNClient;

  beforeAll(async () => {
    server = await startStepFunctionsServer({ port: 0, invokeTask: fakeTasks, timeScale: 0.001 });
    sfn = clientFor(server);
  });
  afterAll(async () => {
    sfn.destroy();
    await server.stop();
  });

  describe('state machines', () => {
    it('creates, describes, lists, updates and deletes a state machine', async () => {
      const arn = await createMachine(sfn, 'crud', {
        StartAt: 'P',
        States: { P: { Type: 'Pass', End: true } },
      });
      expect(arn).toBe(`arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:stateMachine:crud`);

      const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      expect(described).toMatchObject({ name: 'crud', status: 'ACTIVE', roleArn: ROLE, type: 'STANDARD' });
      expect(described.creationDate).toBeInstanceOf(Date);

      const listed = await sfn.send(new ListStateMachinesCommand({}));
      expect(listed.stateMachines?.map((sm) => sm.stateMachineArn)).toContain(arn);

      const updated = { StartAt: 'Q', States: { Q: { Type: 'Pass', Result: 2, End: true } } };
      await sfn.send(
        new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify(updated) }),
      );
      const after = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      expect(JSON.parse(after.definition ?? '')).toEqual(updated);

      await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
      await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).rejects.toMatchObject(
        {
          name: 'StateMachineDoesNotExist',
          $metadata: { httpStatusCode: 400 },
        },
      );
    });

    it.each([
      [
        'a Next to a missing state',
        { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } },
        /Invalid State Machine Definition/,
      ],
      [
        'a Map ItemReader',
        {
          StartAt: 'A',
          States: {
            A: {
              Type: 'Map',
              ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: {} },
              ItemProcessor: { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
              End: true,
            },
          },
        },
        /ItemReader/,
      ],
      [
        'a .sync job other than states:startExecution',
        {
          StartAt: 'A',
          States: {
            A: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', End: true },
          },
        },
        /Resource \.sync/,
      ],
    ])('rejects %s with InvalidDefinition', async (_label, definition, message) => {
      const error = await createMachine(sfn, 'invalid', definition).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );

      expect(error).toMatchObject({ name: 'InvalidDefinition' });
      expect(error instanceof Error ? error.message : '').toMatch(message);
    });

    it('refuses a second state machine of the same name with another definition', async () => {
      await createMachine(sfn, 'twice', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
      await expect(
        createMachine(sfn, 'twice', { StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } } }),
      ).rejects.toMatchObject({
        name: 'StateMachineAlreadyExists',
      });
    });

    it('answers unknown and malformed ARNs with AWS errors', async () => {
      await expect(
        sfn.send(
          new DescribeStateMachineCommand({
            stateMachineArn: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:stateMachine:nope`,
          }),
        ),
      ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
      await expect(
        sfn.send(
          new DescribeExecutionCommand({
            executionArn: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:execution:nope:x`,
          }),
        ),
      ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
      await expect(
        sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })),
      ).rejects.toMatchObject({ name: 'InvalidArn' });
    });
  });

  describe('executions', () => {
    let orderArn: string;
    beforeAll(async () => {
      orderArn = await createMachine(sfn, 'order-like', orderLike);
    });

    it('succeeds through Choice, a retried Task, Parallel and Map', async () => {
      const run = await runToEnd(sfn, orderArn, { amount: 10, items: [{ sku: 'A' }, { sku: 'B' }] });

      expect(run.status).toBe('SUCCEEDED');
      expect(JSON.parse(run.output ?? '')).toEqual({
        amount: 10,
        items: [{ sku: 'A' }, { sku: 'B' }],
        charge: { attempts: 3 },
        fanout: [{ echoed: { attempts: 3 } }, 'packed'],
        skus: [{ sku: 'A' }, { sku: 'B' }],
      });
      expect(run.stopDate!.getTime()).toBeGreaterThanOrEqual(run.startDate!.getTime());
    });

    it('fails with the Fail state error and cause', async () => {
      const run = await runToEnd(sfn, orderArn, { amount: 500, items: [] });

      expect(run).toMatchObject({ status: 'FAILED', error: 'LimitExceeded', cause: 'amount above 100' });
      expect(run.output).toBeUndefined();
    });

    it('catches a named Task error into ResultPath and carries on', async () => {
      const arn = await createMachine(sfn, 'catching', {
        StartAt: 'Pay',
        States: {
          Pay: {
            Type: 'Task',
            Resource: fn('fatal'),
            Catch: [{ ErrorEquals: ['PaymentFailedError'], ResultPath: '$.error', Next: 'Notify' }],
            End: true,
          },
          Notify: { Type: 'Pass', End: true },
        },
      });
      const run = await runToEnd(sfn, arn, { orderId: 'o-1' });

      expect(run.status).toBe('SUCCEEDED');
      expect(JSON.parse(run.output ?? '')).toEqual({
        orderId: 'o-1',
        error: { Error: 'PaymentFailedError', Cause: 'card declined' },
      });
    });

    it('is idempotent by name while running and refuses the name with another input', async () => {
      const arn = await createMachine(sfn, 'hanging', {
        StartAt: 'Hang',
        States: { Hang: { Type: 'Task', Resource: fn('hang'), End: true } },
      });
      const first = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: arn, name: 'order-1', input: '{"a":1}' }),
      );
      const again = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: arn, name: 'order-1', input: '{"a":1}' }),
      );

      expect(again.executionArn).toBe(first.executionArn);
      expect(again.executionArn).toBe(
        `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:execution:hanging:order-1`,
      );
      await expect(
        sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'order-1', input: '{"a":2}' })),
      ).rejects.toMatchObject({
        name: 'ExecutionAlreadyExists',
      });

      const stopped = await sfn.send(
        new StopExecutionCommand({ executionArn: first.executionArn, error: 'Manual', cause: 'test' }),
      );
      expect(stopped.stopDate).toBeInstanceOf(Date);
      const run = await waitForEnd(sfn, first.executionArn ?? '');
      expect(run).toMatchObject({ status: 'ABORTED', error: 'Manual', cause: 'test' });
      const events = await history(sfn, first.executionArn ?? '');
      expect(events.at(-1)).toMatchObject({
        type: 'ExecutionAborted',
        executionAbortedEventDetails: { error: 'Manual', cause: 'test' },
      });
    });

    it('lists executions newest first, filtered by status and paged', async () => {
      const arn = await createMachine(sfn, 'listing', {
        StartAt: 'C',
        States: {
          C: {
            Type: 'Choice',
            Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Yes' }],
            Default: 'No',
          },
          Yes: { Type: 'Succeed' },
          No: { Type: 'Fail', Error: 'Nope' },
        },
      });
      for (const [i, ok] of [true, false, true, true].entries()) await runToEnd(sfn, arn, { ok }, `run-${i}`);

      const succeeded = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'SUCCEEDED' }),
      );
      expect(succeeded.executions?.map((e) => e.name)).toEqual(['run-3', 'run-2', 'run-0']);
      const failed = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'FAILED' }),
      );
      expect(failed.executions?.map((e) => e.name)).toEqual(['run-1']);

      const page1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 3 }));
      const page2 = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 3, nextToken: page1.nextToken }),
      );
      expect(page1.executions?.map((e) => e.name)).toEqual(['run-3', 'run-2', 'run-1']);
      expect(page2.executions?.map((e) => e.name)).toEqual(['run-0']);
      expect(page2.nextToken).toBeUndefined();
    });

    it('records an AWS-shaped history, pageable and reversible', async () => {
      const run = await runToEnd(sfn, orderArn, { amount: 1, items: [{ sku: 'A' }] });
      const events = await history(sfn, run.executionArn ?? '');

      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
      expect(events.map((e) => e.previousEventId)).toEqual(events.map((_, i) => i));
      expect(events[0]).toMatchObject({
        type: 'ExecutionStarted',
        executionStartedEventDetails: {
          input: JSON.stringify({ amount: 1, items: [{ sku: 'A' }] }),
          roleArn: ROLE,
        },
      });
      expect(events[0]?.timestamp).toBeInstanceOf(Date);
      const types = events.map((e) => e.type);
      expect(types.slice(0, 10)).toEqual([
        'ExecutionStarted',
        'ChoiceStateEntered',
        'ChoiceStateExited',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionFailed',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionFailed',
      ]);
      expect(types).toEqual(
        expect.arrayContaining([
          'ParallelStateEntered',
          'MapStateEntered',
          'MapIterationStarted',
          'SucceedStateEntered',
        ]),
      );
      expect(types.at(-1)).toBe('ExecutionSucceeded');
      expect(events.find((e) => e.type === 'LambdaFunctionFailed')?.lambdaFunctionFailedEventDetails).toEqual(
        {
          error: 'Boom',
          cause: 'attempt 1 failed',
        },
      );
      expect(
        events.find((e) => e.type === 'LambdaFunctionScheduled')?.lambdaFunctionScheduledEventDetails
          ?.resource,
      ).toBe(fn('flaky'));

      const firstPage = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: run.executionArn, maxResults: 4 }),
      );
      const secondPage = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn: run.executionArn,
          maxResults: 4,
          nextToken: firstPage.nextToken,
        }),
      );
      expect([...(firstPage.events ?? []), ...(secondPage.events ?? [])].map((e) => e.id)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8,
      ]);
      const reversed = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: run.executionArn, reverseOrder: true, maxResults: 2 }),
      );
      expect(reversed.events?.map((e) => e.type)).toEqual(['ExecutionSucceeded', events.at(-2)?.type]);
      const withoutData = await sfn.send(
        new GetExecutionHistoryCommand({
          executionArn: run.executionArn,
          includeExecutionData: false,
          maxResults: 1,
        }),
      );
      expect(withoutData.events?.[0]?.executionStartedEventDetails?.input).toBeUndefined();
    });

    it('scales Wait states by the time scale (Wait 10 s at 0.001 takes ~10 ms)', async () => {
      const arn = await createMachine(sfn, 'waiting', {
        StartAt: 'W',
        States: { W: { Type: 'Wait', Seconds: 10, End: true } },
      });
      const started = Date.now();
      const run = await runToEnd(sfn, arn, { x: 1 });

      expect(run.status).toBe('SUCCEEDED');
      expect(Date.now() - started).toBeLessThan(5_000);
      const events = await history(sfn, run.executionArn ?? '');
      expect(events.map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'WaitStateEntered',
        'WaitStateExited',
        'ExecutionSucceeded',
      ]);
    });

    it('fails a Wait whose SecondsPath is negative with States.Runtime, as AWS words it', async () => {
      const arn = await createMachine(sfn, 'bad-wait', {
        StartAt: 'W',
        States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } },
      });
      const run = await runToEnd(sfn, arn, { s: -1 });

      expect(run).toMatchObject({
        status: 'FAILED',
        error: 'States.Runtime',
        cause:
          "An error occurred while executing the state 'W' (entered at the event id #2). The SecondsPath parameter references a negative value: $.s == -1",
      });
    });
  });

  describe('with a virtual clock', () => {
    let virtualServer: StepFunctionsServer;
    let virtualSfn: SFNClient;
    beforeAll(async () => {
      virtualServer = await startStepFunctionsServer({
        port: 0,
        invokeTask: fakeTasks,
        clock: new VirtualClock(Date.UTC(2024, 0, 1)),
      });
      virtualSfn = clientFor(virtualServer);
    });
    afterAll(async () => {
      virtualSfn.destroy();
      await virtualServer.stop();
    });

    it('shows 5 s then 10 s retry gaps and an hour-long Wait in the history without waiting', async () => {
      const arn = await createMachine(virtualSfn, 'virtual', {
        StartAt: 'Nap',
        States: {
          Nap: { Type: 'Wait', Seconds: 3600, Next: 'Charge' },
          Charge: {
            Type: 'Task',
            Resource: fn('flaky'),
            Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 5, BackoffRate: 2, MaxAttempts: 3 }],
            End: true,
          },
        },
      });
      const started = Date.now();
      const run = await runToEnd(virtualSfn, arn);
      const events = await history(virtualSfn, run.executionArn ?? '');

      expect(run.status).toBe('SUCCEEDED');
      expect(Date.now() - started).toBeLessThan(5_000);
      const at = (type: string) => events.filter((e) => e.type === type).map((e) => e.timestamp!.getTime());
      const [napStart] = at('WaitStateEntered');
      const [napEnd] = at('WaitStateExited');
      expect(napEnd! - napStart!).toBe(3_600_000);
      const failures = at('LambdaFunctionFailed');
      const scheduled = at('LambdaFunctionScheduled');
      expect(scheduled).toHaveLength(3);
      expect(scheduled[1]! - failures[0]!).toBe(5_000);
      expect(scheduled[2]! - failures[1]!).toBe(10_000);
      expect(run.stopDate!.getTime() - run.startDate!.getTime()).toBe(3_615_000);
    });
  });
});
