export interface Notification {
  readonly orderId: string;
  /** One message per type and order: sending the same type again is a no-op. */
  readonly type: 'ORDER_FAILED' | 'ORDER_CONFIRMED';
  readonly customerId: string;
  readonly subject: string;
  readonly body: string;
}

/** Queues customer notifications (in an outbox: delivery, by a sender this app does not include, is not the workflow's). */
export interface Notifier {
  /** Returns the notification id; idempotent per (orderId, type). */
  notify(notification: Notification): Promise<string>;
}
