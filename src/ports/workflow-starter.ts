import type { OrderItem, ShippingAddress } from '../domain/order';

/** The execution input of the order workflow (the contract with the ASL). */
export interface WorkflowInput {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly payment: { readonly token: string };
  readonly shippingAddress: ShippingAddress;
}

/** Starts the order workflow; the execution is named after the order, so an order runs at most once. */
export interface WorkflowStarter {
  /** Returns the execution ARN. */
  start(input: WorkflowInput): Promise<string>;
}
