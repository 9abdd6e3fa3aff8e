import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLambdaInvoker, functionName } from '../../stepfunctions/lambda-invoker';
import { startExecution } from '../../stepfunctions/engine';
import { LOCAL_ACCOUNT_ID } from '../../serverless-config';

/** A stand-in for serverless-offline's Lambda invoke endpoint (POST /2015-03-31/functions/<name>/invocations). */
function fakeLambdaEndpoint(): Promise<{ url: string; calls: string[]; server: Server }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const name = decodeURIComponent(/functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1] ?? '');
      calls.push(name);
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown;
      if (name === 'my-service-local-charge') {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
        res.end(
          JSON.stringify({ errorType: 'PaymentFailedError', errorMessage: 'card_declined', trace: ['at x'] }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ got: input }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server }),
    ),
  );
}

const arn = (name: string) => `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT_ID}:function:${name}`;

describe('Lambda invoker for the local Step Functions engine', () => {
  it('takes the function name from an ARN', () => {
    expect(functionName(arn('my-service-local-ship'))).toBe('my-service-local-ship');
    expect(functionName('plain-name')).toBe('plain-name');
  });

  it('returns the payload, and maps a FunctionError to its errorType with the payload as cause', async () => {
    const lambda = await fakeLambdaEndpoint();
    const invoker = createLambdaInvoker({ endpoint: lambda.url, region: 'us-east-1' });
    try {
      const execution = startExecution({
        definition: {
          StartAt: 'Ship',
          States: {
            Ship: {
              Type: 'Task',
              Resource: arn('my-service-local-ship'),
              ResultPath: '$.shipment',
              Next: 'Pay',
            },
            Pay: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: arn('my-service-local-charge'), 'Payload.$': '$' },
              End: true,
            },
          },
        },
        input: { orderId: 'o-1' },
        executionArn: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:execution:sm:e`,
        stateMachineArn: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:stateMachine:sm`,
        name: 'e',
        invokeTask: invoker,
      });
      await execution.done;

      expect(lambda.calls).toEqual(['my-service-local-ship', 'my-service-local-charge']);
      const shipped = execution.events.find((e) => e.type === 'TaskStateExited');
      expect(JSON.parse(shipped?.stateExitedEventDetails?.output ?? '')).toEqual({
        orderId: 'o-1',
        shipment: { got: { orderId: 'o-1' } },
      });
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('PaymentFailedError');
      expect(JSON.parse(execution.cause ?? '')).toEqual({
        errorType: 'PaymentFailedError',
        errorMessage: 'card_declined',
        trace: ['at x'],
      });
      expect(execution.events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({
        resourceType: 'lambda',
        resource: 'invoke',
        error: 'PaymentFailedError',
      });
    } finally {
      invoker.destroy();
      await new Promise((resolve) => lambda.server.close(resolve));
    }
  });

  it('fails a Task with Lambda.SdkClientException when nothing listens', async () => {
    const invoker = createLambdaInvoker({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' });
    try {
      const execution = startExecution({
        definition: { StartAt: 'T', States: { T: { Type: 'Task', Resource: arn('f'), End: true } } },
        input: {},
        executionArn: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:execution:sm:e2`,
        stateMachineArn: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:stateMachine:sm`,
        name: 'e2',
        invokeTask: invoker,
      });
      await execution.done;

      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('Lambda.SdkClientException');
    } finally {
      invoker.destroy();
    }
  });
});
