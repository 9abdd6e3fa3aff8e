// Lambda entry point for the process workflow's SaveItem state: wires the real adapters once per container.
import { DynamoDbItemStore } from '../adapters/dynamodb/item-store';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeSaveItemHandler } from './tasks/save-item';

const config = readConfig(['ITEMS_TABLE']);

export const handler = makeSaveItemHandler({
  items: new DynamoDbItemStore(documentClientFor(dynamoDbClient()), config.ITEMS_TABLE),
  clock: () => new Date(),
});
