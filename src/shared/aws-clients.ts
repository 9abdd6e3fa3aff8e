import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Endpoints and regions come only from the SDK's standard configuration (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB,
// AWS_ENDPOINT_URL_SFN), so the same code runs on AWS and against the local cloud. Call these at module scope.

/**
 * Fail fast rather than hang: without these the SDK waits on a lost connection until the function itself times
 * out. A timed-out request is retried by the SDK (TimeoutError is transient) and, failing that, surfaces as
 * ServiceUnavailable, which the state machine retries.
 */
// throwOnRequestTimeout: without it the SDK's HTTP handler only logs a warning when requestTimeout passes and keeps
// waiting (@smithy/node-http-handler 4.x), so the timeout never failed anything.
const requestHandler = { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true };

export function dynamoDbClient(): DynamoDBClient {
  return new DynamoDBClient({ requestHandler });
}

export function documentClientFor(client: DynamoDBClient): DynamoDBDocumentClient {
  // removeUndefinedValues: optional fields (line2, failure, ...) are omitted rather than rejected.
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function sfnClient(): SFNClient {
  return new SFNClient({ requestHandler });
}
