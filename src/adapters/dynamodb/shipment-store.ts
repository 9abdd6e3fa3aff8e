import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IllegalTransitionError, ShipmentNotFoundError } from '../../domain/errors';
import type { ShipmentRecord, ShipmentStatus } from '../../domain/shipment';
import type { ShipmentChange, ShipmentStore } from '../../ports/shipment-store';
import { callAws, isConditionFailed } from '../aws/errors';

/** Shipments in DynamoDB (HASH shipmentId). Updates are conditional on the status; events are appended. */
export class DynamoDbShipmentStore implements ShipmentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(shipment: ShipmentRecord): Promise<ShipmentRecord> {
    try {
      await callAws('DynamoDB PutItem (shipment)', () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: shipment,
            ConditionExpression: 'attribute_not_exists(shipmentId)',
          }),
        ),
      );
      return shipment;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // Booked before (a retried task): the stored shipment, with whatever happened to it since, wins.
      const stored = await this.get(shipment.shipmentId);
      if (!stored) throw error;
      return stored;
    }
  }

  async get(shipmentId: string): Promise<ShipmentRecord | undefined> {
    const result = await callAws('DynamoDB GetItem (shipment)', () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { shipmentId }, ConsistentRead: true }),
      ),
    );
    return result.Item as ShipmentRecord | undefined;
  }

  async update(
    shipmentId: string,
    from: readonly ShipmentStatus[],
    to: ShipmentStatus,
    change: ShipmentChange = {},
  ): Promise<ShipmentRecord> {
    const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':to': to, ':now': this.clock().toISOString() };
    const sets = ['#status = :to', '#updatedAt = :now'];
    const removes: string[] = [];
    if (change.taskToken !== undefined) {
      names['#taskToken'] = 'taskToken';
      values[':taskToken'] = change.taskToken;
      sets.push('#taskToken = :taskToken');
    } else if (to !== 'AWAITING_PICKUP') {
      // A token is only worth keeping while the workflow waits on it.
      names['#taskToken'] = 'taskToken';
      removes.push('#taskToken');
    }
    if (change.event) {
      names['#events'] = 'events';
      values[':event'] = [change.event];
      sets.push('#events = list_append(#events, :event)');
    }
    from.forEach((status, index) => (values[`:from${index}`] = status));
    const expected = from.map((_, index) => `:from${index}`).join(', ');
    const update = `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;

    try {
      const result = await callAws('DynamoDB UpdateItem (shipment status)', () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { shipmentId },
            UpdateExpression: update,
            ConditionExpression: `attribute_exists(shipmentId) AND #status IN (${expected})`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result.Attributes as ShipmentRecord;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const current = await this.get(shipmentId);
      if (!current) throw new ShipmentNotFoundError(shipmentId, { cause: error });
      throw new IllegalTransitionError(
        `Shipment ${shipmentId} is ${current.status}; it cannot move to ${to} (expected ${from.join(' or ')})`,
        { cause: error },
      );
    }
  }
}
