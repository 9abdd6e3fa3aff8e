/**
 * Step Functions' optimized DynamoDB integrations (`arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`)
 * against the DynamoDB endpoint the local cloud runs: Parameters are the API request as AWS's SDK names it, the result
 * is the API response with AWS's SDK metadata, and an error is `DynamoDB.<ExceptionName>` with AWS's cause text.
 */
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../definition';
import { StatesError } from '../runtime-errors';
import { sdkMetadata } from '../sdk-metadata';

export const DYNAMODB_RESOURCE = /^arn:aws[a-z-]*:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/;

type Action = 'getItem' | 'putItem' | 'updateItem' | 'deleteItem';

/** The request as written in Parameters, passed through as Step Functions does. */
type Request = never;

const COMMANDS: Record<Action, (client: DynamoDBClient, request: Request) => Promise<object>> = {
  getItem: (client, request) => client.send(new GetItemCommand(request)),
  putItem: (client, request) => client.send(new PutItemCommand(request)),
  updateItem: (client, request) => client.send(new UpdateItemCommand(request)),
  deleteItem: (client, request) => client.send(new DeleteItemCommand(request)),
};

/** Runs DynamoDB Tasks with `client` (default: the SDK's endpoint variables, AWS_ENDPOINT_URL_DYNAMODB locally). */
export function dynamodbTasks(client: DynamoDBClient = new DynamoDBClient({})) {
  return async (resource: string, parameters: Json): Promise<Json> => {
    const action = DYNAMODB_RESOURCE.exec(resource)?.[1] as Action | undefined;
    if (!action) throw new StatesError('States.TaskFailed', `Unsupported DynamoDB resource ${resource}`);
    let response: Record<string, unknown>;
    try {
      response = (await COMMANDS[action](client, parameters as Request)) as Record<string, unknown>;
    } catch (error) {
      throw dynamodbError(error);
    }
    const { $metadata, ...result } = response;
    const requestId = (($metadata ?? {}) as { requestId?: string }).requestId ?? randomUUID();
    return { ...(result as JsonObject), ...sdkMetadata('application/x-amz-json-1.0', requestId) };
  };
}

function dynamodbError(error: unknown): StatesError {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const service = typeof (error as { $metadata?: unknown }).$metadata === 'object';
  const code = service ? name : 'AmazonDynamoDBException';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 400;
  return new StatesError(
    `DynamoDB.${code}`,
    `${message} (Service: AmazonDynamoDBv2; Status Code: ${status}; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}
