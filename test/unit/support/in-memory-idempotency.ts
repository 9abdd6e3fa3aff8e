import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';

/** Powertools idempotency persistence in a Map, with the DynamoDB layer's put-if-absent-or-expired rule. */
export class InMemoryIdempotencyStore extends BasePersistenceLayer {
  readonly records = new Map<string, IdempotencyRecord>();

  /** Like DynamoDB, which does not keep the key order of maps, hand stored responses back with keys reversed. */
  constructor(private readonly reorderKeys = true) {
    super();
  }

  protected _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const record = this.records.get(idempotencyKey);
    return record ? Promise.resolve(record) : Promise.reject(new IdempotencyItemNotFoundError());
  }

  protected _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    if (existing && !existing.isExpired()) {
      return Promise.reject(new IdempotencyItemAlreadyExistsError('exists', existing));
    }
    this.records.set(record.idempotencyKey, record);
    return Promise.resolve();
  }

  protected _updateRecord(record: IdempotencyRecord): Promise<void> {
    const data = record.responseData;
    if (this.reorderKeys && data && typeof data === 'object' && !Array.isArray(data)) {
      record.responseData = Object.fromEntries(Object.entries(data).reverse());
    }
    this.records.set(record.idempotencyKey, record);
    return Promise.resolve();
  }

  protected _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
    return Promise.resolve();
  }
}
