/**
 * A local AWS Step Functions endpoint: the AWS JSON 1.0 protocol (POST /, X-Amz-Target
 * AWSStepFunctions.<Action>) over node:http, so the AWS CLI and SDK v3 SFNClient work unchanged with
 * `--endpoint-url`. This module is the HTTP side only; service.ts answers the actions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveConsole } from '../console/assets';
import { ServiceError, type Request } from './api-shapes';
import { StepFunctionsService, type StepFunctionsServiceOptions } from './service';
import type { TaskTokens } from './task-tokens';

export interface StepFunctionsServerOptions extends StepFunctionsServiceOptions {
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
}

export { ServiceError } from './api-shapes';

export interface StepFunctionsServer {
  url: string;
  port: number;
  /** The task tokens of this service's `.waitForTaskToken` Tasks (what SendTask* answers). */
  taskTokens: TaskTokens;
  stop(): Promise<void>;
}

/** Starts the service; resolves once it listens. */
export async function startStepFunctionsServer(
  options: StepFunctionsServerOptions,
): Promise<StepFunctionsServer> {
  const service = new StepFunctionsService(options);
  service.restore();
  const server = createServer((req, res) => void handle(service, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://localhost:${port}`,
    taskTokens: service.tokens,
    stop: async () => {
      service.stopAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  service: StepFunctionsService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // GET and HEAD are the local console's (local/console/); the AWS API is POST.
  if (await serveConsole(req, res)) return;
  const send = (status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': crypto.randomUUID(),
    });
    res.end(JSON.stringify(body));
  };
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = req.headers['x-amz-target'];
    const action =
      typeof target === 'string' && target.startsWith('AWSStepFunctions.') ? target.slice(17) : '';
    if (req.method !== 'POST' || action === '')
      throw new ServiceError(
        'UnknownOperationException',
        'Expected POST with X-Amz-Target AWSStepFunctions.<Action>',
      );
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new ServiceError('SerializationException', 'The request body is not valid JSON');
      }
    }
    send(200, service.dispatch(action, (body ?? {}) as Request));
  } catch (error) {
    if (error instanceof ServiceError) send(error.status, { __type: error.type, message: error.message });
    else
      send(500, {
        __type: 'InternalFailure',
        message: error instanceof Error ? error.message : String(error),
      });
  }
}
