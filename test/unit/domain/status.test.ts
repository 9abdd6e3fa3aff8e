import { IllegalTransitionError } from '../../../src/domain/errors';
import {
  assertTransition,
  canTransition,
  isTerminal,
  predecessorsOf,
  type OrderStatus,
} from '../../../src/domain/status';

describe('order status lifecycle', () => {
  it.each<[OrderStatus, OrderStatus]>([
    ['PENDING', 'VALIDATED'],
    ['VALIDATED', 'PAID'],
    ['PAID', 'SHIPPED'],
    ['PENDING', 'FAILED'],
    ['VALIDATED', 'FAILED'],
    ['PAID', 'FAILED'],
  ])('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition('ord_1', from, to)).not.toThrow();
  });

  it.each<[OrderStatus, OrderStatus]>([
    ['PENDING', 'PAID'],
    ['PENDING', 'SHIPPED'],
    ['VALIDATED', 'SHIPPED'],
    ['VALIDATED', 'PENDING'],
    ['PAID', 'VALIDATED'],
    ['SHIPPED', 'FAILED'],
    ['SHIPPED', 'PAID'],
    ['FAILED', 'PENDING'],
    ['FAILED', 'FAILED'],
    ['PENDING', 'PENDING'],
  ])('forbids %s -> %s with IllegalTransitionError', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition('ord_1', from, to)).toThrow(IllegalTransitionError);
    expect(() => assertTransition('ord_1', from, to)).toThrow(
      `Order ord_1 cannot move from ${from} to ${to}`,
    );
  });

  it('treats SHIPPED and FAILED as terminal', () => {
    expect(
      ['PENDING', 'VALIDATED', 'PAID', 'SHIPPED', 'FAILED'].filter((s) => isTerminal(s as OrderStatus)),
    ).toEqual(['SHIPPED', 'FAILED']);
  });

  it('reaches FAILED from every non-terminal status and each step from its predecessor only', () => {
    expect(predecessorsOf('FAILED')).toEqual(['PENDING', 'VALIDATED', 'PAID']);
    expect(predecessorsOf('PAID')).toEqual(['VALIDATED']);
    expect(predecessorsOf('PENDING')).toEqual([]);
  });
});
