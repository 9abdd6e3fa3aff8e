export interface Notification {
  readonly orderId: string;
  /** One message per type and order: sending the same type again is a no-op. */
  readonly type: 'ORDER_FAILED' | 'ORDER_CONFIRMED';
  readonly customerId: string;
  readonly subject: string;
  readonly body: string;
}

/** Sends customer notifications (through an outbox, so delivery is decoupled from the workflow). */
export interface Notifier {
  /** Returns the notification id; idempotent per (orderId, type). */
  notify(notification: Notification): Promise<string>;
}
