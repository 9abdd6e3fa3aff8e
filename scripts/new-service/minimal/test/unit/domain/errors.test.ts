import {
  ItemRejectedError,
  OrderProcessingError,
  ServiceUnavailable,
  UnauthorizedError,
} from '../../../src/domain/errors';

describe('domain errors', () => {
  // The names are the contract with the state machine's Retry and Catch blocks.
  it.each([
    ['ItemRejectedError', new ItemRejectedError('x')],
    ['ServiceUnavailable', new ServiceUnavailable('x')],
    ['UnauthorizedError', new UnauthorizedError('x')],
  ])('names %s exactly as the ASL expects', (name, error) => {
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(OrderProcessingError);
    expect(String(error.stack)).toMatch(new RegExp(`^${name}: `));
  });

  it('passes the cause through', () => {
    const cause = new Error('socket hang up');

    const error = new ServiceUnavailable('DynamoDB unavailable', { cause });

    expect(error.cause).toBe(cause);
  });
});
