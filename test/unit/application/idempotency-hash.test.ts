import fc from 'fast-check';
import { hashOf, idempotencyRecordId } from '../../../src/application/idempotency-hash';

// Computed by Powertools idempotency 2.35.0 (BasePersistenceLayer with keyPrefix 'createOrder', eventKeyJmesPath
// 'idempotencyKey', payloadValidationJmesPath 'body'), the version deployed before this code replaced it.
describe('idempotency record ids and request hashes', () => {
  it.each([
    ['cust-1 key-1', 'createOrder#GeltBSIDZRTq60gmzqFIHQ=='],
    ['cognito-sub-7 5f0c6f1e-retry-me', 'createOrder#YoYMeG7SKlCh+AyMhL9g1A=='],
  ])('names the record of key %p as Powertools did', (key, id) => {
    expect(idempotencyRecordId('createOrder', key)).toBe(id);
  });

  it.each([
    [
      '{"items":[{"sku":"SKU-BOOK-001","quantity":2}],"payment":{"token":"tok_visa"},"shippingAddress":{"name":"Ada Lovelace","line1":"1 Main St","city":"London","postalCode":"N1 9GU","country":"GB"}}',
      '3M88SA7oz4D4WvPrJsa7zg==',
    ],
    [
      '{"shippingAddress":{"country":"GB","postalCode":"N1 9GU","city":"London","line1":"1 Main St","name":"Ada Lovelace"},"payment":{"token":"tok_visa"},"items":[{"quantity":2,"sku":"SKU-BOOK-001"}]}',
      '3M88SA7oz4D4WvPrJsa7zg==',
    ],
    [
      '{"b":1,"A":[3,{"z":null,"Y":true}],"a":"é ü 漢字 \\u2028","10":1.5,"2":-0,"big":1e21}',
      'OlMver2O/T0p4Ij/+IUJUw==',
    ],
    ['[]', '11FxOYiYfpMxmANj4kGJzg=='],
    ['"text"', 'IM2BVSPlgGrsKaVygrDUnw=='],
    ['{}', 'mZFLkyvTelC5g8XnyQrpOw=='],
  ])('hashes the body %s as Powertools did', (json, hash) => {
    expect(hashOf(JSON.parse(json))).toBe(hash);
  });

  it('hashes a JSON value the same whatever the order of its objects’ keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.infiniteStream(fc.boolean()), (value, coinFlips) => {
        // Powertools' sort never calls two keys equal, so keys that differ only in case keep the order they came in.
        fc.pre(keysDifferIgnoringCase(value));

        expect(hashOf(shuffledKeys(value, coinFlips))).toBe(hashOf(value));
      }),
    );
  });
});

/** The value with each object's keys reversed or kept, as the coin flips say, at every depth. */
function shuffledKeys(value: unknown, coinFlips: fc.Stream<boolean>): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffledKeys(item, coinFlips));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, item]) => [key, shuffledKeys(item, coinFlips)] as const);
  return Object.fromEntries(coinFlips.next().value ? entries.reverse() : entries);
}

function keysDifferIgnoringCase(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysDifferIgnoringCase);
  if (value === null || typeof value !== 'object') return true;
  const keys = Object.keys(value);
  return (
    new Set(keys.map((key) => key.toLowerCase())).size === keys.length &&
    Object.values(value).every(keysDifferIgnoringCase)
  );
}
