/**
 * The execution input of the order workflow (the contract with the ASL): the order id and the payment method's
 * reference, nothing personal. Execution input stays in the history for 90 days; the tasks read the rest from
 * DynamoDB.
 */
export interface WorkflowInput {
  readonly orderId: string;
  readonly paymentMethod: string;
}

/** Starts the order workflow; the execution is named after the order, so an order runs at most once. */
export interface WorkflowStarter {
  /** Returns the execution ARN. */
  start(input: WorkflowInput): Promise<string>;
}
