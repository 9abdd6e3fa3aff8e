import { runInNewContext } from 'node:vm';
import {
  CallbackExpiredError,
  CurrencyMismatchError,
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  IllegalTransitionError,
  OrderNotFoundError,
  OrderProcessingError,
  OutOfStockError,
  PaymentFailedError,
  PaymentProcessingError,
  PickupFailedError,
  ServiceUnavailable,
  ShipmentNotFoundError,
  ShippingFailedError,
  UnauthorizedError,
  ValidationError,
} from '../../../src/domain/errors';

describe('domain errors', () => {
  // The names are the contract with the state machine's Retry and Catch blocks.
  it.each([
    ['ValidationError', new ValidationError('x')],
    ['PaymentFailedError', new PaymentFailedError('card_declined', 'x')],
    ['PaymentProcessingError', new PaymentProcessingError('x')],
    ['ServiceUnavailable', new ServiceUnavailable('x')],
    ['ShippingFailedError', new ShippingFailedError('x')],
    ['OrderNotFoundError', new OrderNotFoundError('ord_1')],
    ['IllegalTransitionError', new IllegalTransitionError('x')],
    ['CurrencyMismatchError', new CurrencyMismatchError('x')],
    ['OutOfStockError', new OutOfStockError('x')],
    ['PickupFailedError', new PickupFailedError('x')],
    ['ShipmentNotFoundError', new ShipmentNotFoundError('shp_1')],
    ['CallbackExpiredError', new CallbackExpiredError('x')],
    ['UnauthorizedError', new UnauthorizedError('x')],
    ['IdempotencyKeyReusedError', new IdempotencyKeyReusedError('x')],
    ['IdempotencyKeyInProgressError', new IdempotencyKeyInProgressError('x')],
  ])('names %s exactly as the ASL expects', (name, error) => {
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(OrderProcessingError);
    expect(error).toBeInstanceOf(Error);
    expect(String(error.stack)).toMatch(new RegExp(`^${name}: `));
  });

  it('passes the cause through', () => {
    const cause = new Error('socket hang up');

    const error = new ServiceUnavailable('DynamoDB unavailable', { cause });

    expect(error.cause).toBe(cause);
  });

  it('puts the decline code in the message, the only text that reaches the workflow', () => {
    const error = new PaymentFailedError('card_declined', 'The card was declined');

    expect(error.message).toBe('The card was declined (decline code: card_declined)');
    expect(error.declineCode).toBe('card_declined');
  });

  it('names the missing order and shipment', () => {
    expect(new OrderNotFoundError('ord_X').message).toBe('Order ord_X does not exist');
    expect(new ShipmentNotFoundError('shp_X').message).toBe('Shipment shp_X does not exist');
  });
});

describe('domain errors, minified', () => {
  it('keep their names without esbuild keepNames (the names are literals, not class names)', async () => {
    // Arrange: errors.ts bundled as a Lambda would be, but with class names free to be mangled
    const { build } = await import('esbuild');
    const bundle = await build({
      entryPoints: [require.resolve('../../../src/domain/errors')],
      bundle: true,
      write: false,
      minify: true,
      keepNames: false,
      format: 'cjs',
      platform: 'node',
    });
    const module = { exports: {} as Record<string, new (...args: string[]) => Error> };
    runInNewContext(bundle.outputFiles[0]?.text ?? '', { module, exports: module.exports });

    // Act
    const names = Object.entries(module.exports).map(([exported, ErrorClass]) =>
      exported === 'OrderProcessingError' ? [exported, exported] : [exported, new ErrorClass('a', 'b').name],
    );

    // Assert
    expect(names.length).toBeGreaterThan(10);
    for (const [exported, name] of names) expect(name).toBe(exported);
  });
});
