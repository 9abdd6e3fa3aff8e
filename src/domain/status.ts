import { IllegalTransitionError } from './errors';

export const ORDER_STATUSES = ['PENDING', 'VALIDATED', 'PAID', 'SHIPPED', 'FAILED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const TERMINAL: ReadonlySet<OrderStatus> = new Set(['SHIPPED', 'FAILED']);

/** The happy path; FAILED is reachable from every non-terminal status. */
const NEXT: Readonly<Record<OrderStatus, OrderStatus | undefined>> = {
  PENDING: 'VALIDATED',
  VALIDATED: 'PAID',
  PAID: 'SHIPPED',
  SHIPPED: undefined,
  FAILED: undefined,
};

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL.has(status);
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  if (isTerminal(from)) return false;
  return to === 'FAILED' || NEXT[from] === to;
}

/** The statuses an order may be in for a move to `to` to be legal (what a conditional write checks). */
export function predecessorsOf(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => canTransition(from, to));
}

export function assertTransition(orderId: string, from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new IllegalTransitionError(`Order ${orderId} cannot move from ${from} to ${to}`);
  }
}
