import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { processPayment } from '../../application/process-payment';
import type { OrderStore } from '../../ports/order-store';
import type { PaymentGateway } from '../../ports/payment-gateway';
import { logger, metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { moneySchema, nonEmptyString, orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({ orderId: orderIdSchema, paymentMethod: nonEmptyString(), amount: moneySchema });

/** State ProcessPayment: {orderId, paymentMethod, amount} -> {orderId, chargeId, amount, status: "CAPTURED"}. */
export function makeProcessPaymentHandler(deps: {
  readonly orders: OrderStore;
  readonly payments: PaymentGateway;
}) {
  return withObservability(async (event: unknown) => {
    const result = await processPayment(deps, parseTaskInput('processPayment', input, event));
    logger.info('Payment captured', { chargeId: result.chargeId, amount: result.amount });
    metrics.addMetric('PaymentCaptured', MetricUnit.Count, 1);
    return result;
  }, orderIdField);
}
