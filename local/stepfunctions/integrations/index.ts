import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { InvokeTask } from '../engine';
import { DYNAMODB_RESOURCE, dynamodbTasks } from './dynamodb';

export { DYNAMODB_RESOURCE, dynamodbTasks } from './dynamodb';

/**
 * Task invocation with the service integrations the local service runs itself (DynamoDB), everything else (Lambda)
 * handed to `invokeLambda`.
 */
export function withServiceIntegrations(invokeLambda: InvokeTask, dynamodb?: DynamoDBClient): InvokeTask {
  const dynamodbTask = dynamodbTasks(dynamodb);
  return (target, input, context) =>
    DYNAMODB_RESOURCE.test(target) ? dynamodbTask(target, input) : invokeLambda(target, input, context);
}
