import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SavedItem } from '../../domain/item';
import type { ItemStore } from '../../ports/item-store';
import { asServiceUnavailable } from '../transient';

export class DynamoDbItemStore implements ItemStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(item: SavedItem): Promise<void> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...item } }));
    } catch (error) {
      throw asServiceUnavailable(error, `Could not save item ${item.itemId}`);
    }
  }
}
