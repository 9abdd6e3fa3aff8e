import { CurrencyMismatchError } from './errors';

/** An amount in integer minor units (cents) of an ISO-4217 currency: floats never touch money. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

const CURRENCY = /^[A-Z]{3}$/;

/** Builds a Money, rejecting fractional or unsafe amounts and malformed currency codes. */
export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount))
    throw new RangeError(`Money amount must be an integer number of minor units, got ${amount}`);
  if (!CURRENCY.test(currency)) throw new RangeError(`Currency must be an ISO-4217 code, got "${currency}"`);
  return { amount, currency };
}

export function zero(currency: string): Money {
  return money(0, currency);
}

export function add(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new CurrencyMismatchError(`Cannot add ${b.currency} to ${a.currency}`);
  }
  return money(a.amount + b.amount, a.currency);
}

/** Multiplies by a whole quantity (a line total); fractional factors would need a rounding rule. */
export function multiply(a: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new RangeError(`Quantity must be an integer, got ${quantity}`);
  return money(a.amount * quantity, a.currency);
}

export function sum(amounts: readonly Money[], currency: string): Money {
  return amounts.reduce(add, zero(currency));
}
