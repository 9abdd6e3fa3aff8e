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
   * Records the refund of `charge` as the order's payment.refund, once (a second call returns the order as it is).
   * An order with no payment yet (the charge's write was lost, e.g. its Lambda timed out) gets the charge with it.
   */
  recordRefund(orderId: string, charge: Pick<Payment, 'chargeId' | 'amount'>, refund: Refund): Promise<Order>;
}

/** Counts payment attempts per order, atomically, so the count holds across Lambda containers. */
export interface PaymentAttemptCounter {
  /** Records one more attempt and returns the new count (1 for the first attempt). */
  recordPaymentAttempt(orderId: string): Promise<number>;
}
