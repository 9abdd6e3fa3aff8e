import '../support/quiet-powertools';
import { toHttpResponse } from '../../../src/handlers/http/error-handler';
import { HttpError } from '../../../src/handlers/http/http-error';
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  IllegalTransitionError,
  OrderNotFoundError,
  PaymentFailedError,
  ServiceUnavailable,
  ValidationError,
} from '../../../src/domain/errors';

describe('HTTP error mapping', () => {
  it.each([
    [new HttpError(413, 'PayloadTooLarge', 'too big'), 413, 'PayloadTooLarge'],
    [new ValidationError('SKU-X: unknown SKU'), 400, 'ValidationError'],
    [new OrderNotFoundError('ord_1'), 404, 'NotFound'],
    [new IdempotencyKeyReusedError('payload differs'), 422, 'IdempotencyKeyReused'],
    [new IdempotencyKeyInProgressError('busy'), 409, 'Conflict'],
    [new IllegalTransitionError('no'), 409, 'Conflict'],
    [new ServiceUnavailable('throttled'), 503, 'ServiceUnavailable'],
    [new PaymentFailedError('card_declined', 'declined'), 500, 'InternalError'],
    [new TypeError("Cannot read properties of undefined (reading 'x')"), 500, 'InternalError'],
    ['a thrown string', 500, 'InternalError'],
  ])('maps %p to %i %s', (error, statusCode, code) => {
    const response = toHttpResponse(error);

    expect(response.statusCode).toBe(statusCode);
    expect((JSON.parse(response.body) as { error: string }).error).toBe(code);
    expect(response.headers).toMatchObject({ 'Content-Type': 'application/json' });
  });

  it('never puts an unexpected error’s message or stack in the body', () => {
    const response = toHttpResponse(new Error('connection string postgres://user:secret@db'));

    expect(response.body).toBe(
      JSON.stringify({ error: 'InternalError', message: 'An unexpected error occurred' }),
    );
  });

  it('tells clients when to retry a 503', () => {
    expect(toHttpResponse(new ServiceUnavailable('x')).headers).toMatchObject({ 'Retry-After': '5' });
  });
});
