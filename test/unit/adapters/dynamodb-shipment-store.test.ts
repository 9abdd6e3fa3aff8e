import { DynamoDbShipmentStore } from '../../../src/adapters/dynamodb/shipment-store';
import { IllegalTransitionError, ShipmentNotFoundError } from '../../../src/domain/errors';
import type { ShipmentRecord } from '../../../src/domain/shipment';
import { ORDER_ID } from '../support/fixtures';
import { awsError, fakeDocumentClient } from '../support/fake-document-client';

const TABLE = 'order-processing-test-shipments';
const NOW = new Date('2025-03-01T10:00:00.000Z');
const SHIPMENT: ShipmentRecord = {
  shipmentId: 'shp_1',
  orderId: ORDER_ID,
  trackingNumber: 'SBX1',
  carrier: 'SANDBOX-POST',
  service: 'STANDARD',
  status: 'LABEL_CREATED',
  events: [],
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
};

function store(responder: Parameters<typeof fakeDocumentClient>[0]) {
  const fake = fakeDocumentClient(responder);
  return { shipments: new DynamoDbShipmentStore(fake.client, TABLE, () => NOW), sent: fake.sent };
}

describe('DynamoDbShipmentStore', () => {
  it('creates a shipment only if the id is new', async () => {
    const { shipments, sent } = store(() => ({}));

    await expect(shipments.create(SHIPMENT)).resolves.toEqual(SHIPMENT);
    expect(sent).toEqual([
      {
        name: 'PutCommand',
        input: { TableName: TABLE, Item: SHIPMENT, ConditionExpression: 'attribute_not_exists(shipmentId)' },
      },
    ]);
  });

  it('returns the stored shipment when it exists already', async () => {
    const stored = { ...SHIPMENT, status: 'PICKED_UP' };
    const { shipments } = store((command) => {
      if (command.name === 'PutCommand') throw awsError('ConditionalCheckFailedException');
      return { Item: stored };
    });

    await expect(shipments.create(SHIPMENT)).resolves.toEqual(stored);
  });

  it('passes other errors of create through', async () => {
    const { shipments } = store(() => {
      throw awsError('ValidationException');
    });

    await expect(shipments.create(SHIPMENT)).rejects.toThrow('ValidationException');
  });

  it('stores a task token with the move to AWAITING_PICKUP, conditional on the expected status', async () => {
    const { shipments, sent } = store(() => ({ Attributes: { ...SHIPMENT, status: 'AWAITING_PICKUP' } }));

    await shipments.update('shp_1', ['LABEL_CREATED', 'AWAITING_PICKUP'], 'AWAITING_PICKUP', {
      taskToken: 't',
    });

    expect(sent[0]?.input).toEqual({
      TableName: TABLE,
      Key: { shipmentId: 'shp_1' },
      UpdateExpression: 'SET #status = :to, #updatedAt = :now, #taskToken = :taskToken',
      ConditionExpression: 'attribute_exists(shipmentId) AND #status IN (:from0, :from1)',
      ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt', '#taskToken': 'taskToken' },
      ExpressionAttributeValues: {
        ':to': 'AWAITING_PICKUP',
        ':now': NOW.toISOString(),
        ':taskToken': 't',
        ':from0': 'LABEL_CREATED',
        ':from1': 'AWAITING_PICKUP',
      },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('appends the event and removes the token when the pickup is over', async () => {
    const { shipments, sent } = store(() => ({ Attributes: SHIPMENT }));
    const event = { type: 'PICKED_UP' as const, at: NOW.toISOString() };

    await shipments.update('shp_1', ['AWAITING_PICKUP'], 'PICKED_UP', { event });

    expect(sent[0]?.input).toMatchObject({
      UpdateExpression:
        'SET #status = :to, #updatedAt = :now, #events = list_append(#events, :event) REMOVE #taskToken',
      ExpressionAttributeValues: expect.objectContaining({ ':event': [event] }) as unknown,
    });
  });

  it('keeps the token on a heartbeat (AWAITING_PICKUP again, no token given)', async () => {
    const { shipments, sent } = store(() => ({ Attributes: SHIPMENT }));

    await shipments.update('shp_1', ['AWAITING_PICKUP'], 'AWAITING_PICKUP');

    expect(sent[0]?.input.UpdateExpression).toBe('SET #status = :to, #updatedAt = :now');
  });

  it.each([
    [
      'IllegalTransitionError naming the status',
      { Item: { ...SHIPMENT, status: 'CANCELLED' } },
      IllegalTransitionError,
    ],
    ['ShipmentNotFoundError for an unknown shipment', {}, ShipmentNotFoundError],
  ])('throws %s when the condition fails', async (_case, item, errorClass) => {
    const { shipments } = store((command) => {
      if (command.name === 'UpdateCommand') throw awsError('ConditionalCheckFailedException');
      return item;
    });

    await expect(shipments.update('shp_1', ['AWAITING_PICKUP'], 'PICKED_UP')).rejects.toThrow(errorClass);
  });

  it('passes other update errors through', async () => {
    const { shipments } = store(() => {
      throw awsError('ValidationException');
    });

    await expect(shipments.update('shp_1', ['AWAITING_PICKUP'], 'PICKED_UP')).rejects.toThrow(
      'ValidationException',
    );
  });
});
