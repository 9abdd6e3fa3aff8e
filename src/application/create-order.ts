import { ServiceUnavailable } from '../domain/errors';
import { pendingOrder, type OrderItem, type ShippingAddress } from '../domain/order';
import { newPaymentMethodReference } from '../domain/payment-method';
import type { OrderStore } from '../ports/order-store';
import type { WorkflowStarter } from '../ports/workflow-starter';

export interface CreateOrderRequest {
  /** The authenticated customer (the token's `sub`), never a field of the request body. */
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly payment: { readonly token: string };
  readonly shippingAddress: ShippingAddress;
}

export interface CreateOrderResult {
  readonly orderId: string;
  readonly status: 'PENDING';
  readonly executionArn: string;
}

export interface CreateOrderDeps {
  readonly orders: OrderStore;
  readonly workflow: WorkflowStarter;
  readonly newOrderId: () => string;
  readonly clock: () => Date;
}

/**
 * Records a PENDING order, with the card token under a fresh payment method reference, and starts its workflow with
 * only the order id and that reference. Prices are not taken from the request: the workflow's ValidateOrder step
 * prices the order from the catalog. If the workflow cannot be started, the order is marked FAILED (so it is never
 * left PENDING with nothing processing it) and ServiceUnavailable is thrown.
 */
export async function createOrder(
  deps: CreateOrderDeps,
  request: CreateOrderRequest,
): Promise<CreateOrderResult> {
  const orderId = deps.newOrderId();
  const { customerId, items, shippingAddress, payment } = request;
  const paymentMethod = { reference: newPaymentMethodReference(), token: payment.token };
  await deps.orders.create(
    pendingOrder({ orderId, customerId, items, shippingAddress, paymentMethod }, deps.clock().toISOString()),
  );
  let executionArn: string;
  try {
    executionArn = await deps.workflow.start({ orderId, paymentMethod: paymentMethod.reference });
  } catch (startError) {
    const reason = startError instanceof Error ? startError.message : String(startError);
    try {
      await deps.orders.transition(orderId, ['PENDING'], 'FAILED', {
        failure: {
          error: 'WorkflowStartFailed',
          cause: 'The order could not be processed; please try again',
        },
      });
    } catch (compensationError) {
      throw new ServiceUnavailable(
        `Order ${orderId} was not started (${reason}) and could not be marked FAILED`,
        {
          cause: compensationError,
        },
      );
    }
    throw new ServiceUnavailable(`Order ${orderId} was not started: ${reason}`, { cause: startError });
  }
  return { orderId, status: 'PENDING', executionArn };
}
