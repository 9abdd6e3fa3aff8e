// Lambda entry point for the ReserveItem state (fulfilment's ReserveStock Map): wires the real adapters once per container.
import { DynamoDbStockReservations } from '../adapters/dynamodb/stock-reservations';
import { documentClientFor, dynamoDbClient } from '../shared/aws-clients';
import { readConfig } from '../shared/config';
import { makeReserveStockHandler } from './tasks/reserve-stock';

const config = readConfig(['CATALOG_TABLE', 'RESERVATIONS_TABLE']);
const documentClient = documentClientFor(dynamoDbClient());

export const handler = makeReserveStockHandler({
  stock: new DynamoDbStockReservations(documentClient, config.CATALOG_TABLE, config.RESERVATIONS_TABLE),
});
