import { CurrencyMismatchError } from '../../../src/domain/errors';
import { add, money, multiply, sum, zero } from '../../../src/domain/money';

describe('money', () => {
  it('adds amounts of the same currency in minor units', () => {
    expect(add(money(1999, 'EUR'), money(1, 'EUR'))).toEqual({ amount: 2000, currency: 'EUR' });
  });

  it('rejects adding different currencies', () => {
    expect(() => add(money(100, 'EUR'), money(100, 'USD'))).toThrow(CurrencyMismatchError);
  });

  it('multiplies by a whole quantity', () => {
    expect(multiply(money(1250, 'EUR'), 3)).toEqual({ amount: 3750, currency: 'EUR' });
  });

  it('sums a list, starting from zero in the given currency', () => {
    expect(sum([money(1, 'EUR'), money(2, 'EUR')], 'EUR')).toEqual(money(3, 'EUR'));
    expect(sum([], 'EUR')).toEqual(zero('EUR'));
  });

  it.each([
    ['a fractional amount', () => money(19.99, 'EUR')],
    ['an unsafe integer', () => money(2 ** 60, 'EUR')],
    ['a lower-case currency', () => money(1, 'eur')],
    ['a two-letter currency', () => money(1, 'EU')],
    ['a fractional quantity', () => multiply(money(1, 'EUR'), 1.5)],
  ])('rejects %s', (_label, build) => {
    expect(build).toThrow(RangeError);
  });
});
