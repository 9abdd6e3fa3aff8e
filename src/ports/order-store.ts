import type { Failure, Order, OrderLine, Payment, Refund, Shipment } from '../domain/order';
import type { Money } from '../domain/money';
import type { PaymentMethod } from '../domain/payment-method';
import type { OrderStatus } from '../domain/status';

/** What a status change writes besides the status (and the history entry). */
export interface StatusChange {
  readonly lines?: readonly OrderLine[];
  readonly total?: Money;
  readonly payment?: Payment;
  /** Replaces the stored payment method (e.g. without its token once charged). */
  readonly paymentMethod?: PaymentMethod;
  readonly shipment?: Shipment;
  readonly failure?: Failure;
}

/** Persistence of orders. Every status change is conditional on the expected previous status. */
export interface OrderStore {
  /** Stores a new order; fails if the id already exists. */
  create(order: Order): Promise<void>;
  /** The order, or undefined if it does not exist. */
  get(orderId: string): Promise<Order | undefined>;
  /**
   * Moves the order from one of `from` to `to`, writing `change`, and returns the order as stored. Repeating a
   * move that already happened (the order is already in `to`) is a no-op that returns the stored order.
   * Throws OrderNotFoundError or IllegalTransitionError otherwise.
   */
  transition(
    orderId: string,
    from: readonly OrderStatus[],
    to: OrderStatus,
    change?: StatusChange,
  ): Promise<Order>;
  /**
   * Records the refund of the order's charge as payment.refund, once: if a refund is already recorded, the order is
   * returned unchanged. Throws OrderNotFoundError, or IllegalTransitionError for an order without a payment.
   */
  recordRefund(orderId: string, refund: Refund): Promise<Order>;
}

/** Counts payment attempts per order, atomically, so the count holds across Lambda containers. */
export interface PaymentAttemptCounter {
  /** Records one more attempt and returns the new count (1 for the first attempt). */
  recordPaymentAttempt(orderId: string): Promise<number>;
}
