// Lambda entry point for the order workflow's ReleaseStock state: wires the real adapters once per container.
import { DynamoDbStockReservations } from '../adapters/dynamodb/stock-reservations';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeReleaseStockHandler } from './tasks/release-stock';

const config = readConfig(['CATALOG_TABLE', 'RESERVATIONS_TABLE']);
const documentClient = documentClientFor(dynamoDbClient());

export const handler = makeReleaseStockHandler({
  stock: new DynamoDbStockReservations(documentClient, config.CATALOG_TABLE, config.RESERVATIONS_TABLE),
});
