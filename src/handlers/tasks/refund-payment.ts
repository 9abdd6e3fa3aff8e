import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { refundPayment } from '../../application/refund-payment';
import type { OrderStore } from '../../ports/order-store';
import type { PaymentGateway } from '../../ports/payment-gateway';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({ orderId: orderIdSchema });

/** State RefundPayment: {orderId} -> {orderId, refunded: true, refundId, amount, at} or {orderId, refunded: false}. */
export function makeRefundPaymentHandler(deps: {
  readonly orders: OrderStore;
  readonly payments: PaymentGateway;
  readonly clock: () => Date;
}) {
  return withObservability(async (event: unknown) => {
    const result = await refundPayment(deps, parseTaskInput('refundPayment', input, event));
    if (result.refunded) {
      logger.info('Payment refunded', { refundId: result.refundId, amount: result.amount });
      metrics.addMetric('PaymentRefunded', MetricUnit.Count, 1);
    } else {
      logger.info('Nothing to refund: the payment gateway holds no charge for the order');
    }
    return result;
  }, orderIdField);
}
