// Lambda entry point for the ValidateOrder state: wires the real adapters once per container.
import { DynamoDbCatalog } from '../adapters/dynamodb/catalog-store';
import { DynamoDbOrderStore } from '../adapters/dynamodb/order-store';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeValidateOrderHandler } from './tasks/validate-order';

const config = readConfig(['ORDERS_TABLE', 'CATALOG_TABLE']);
const documentClient = documentClientFor(dynamoDbClient());

export const handler = makeValidateOrderHandler({
  orders: new DynamoDbOrderStore(documentClient, config.ORDERS_TABLE),
  catalog: new DynamoDbCatalog(documentClient, config.CATALOG_TABLE),
});
