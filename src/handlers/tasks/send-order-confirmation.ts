import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { sendOrderConfirmation } from '../../application/send-order-confirmation';
import { SHIPPING_SERVICES } from '../../domain/shipment';
import type { Notifier } from '../../ports/notifier';
import type { OrderStore } from '../../ports/order-store';
import { metrics } from '../../shared/powertools';
import { orderIdField, withObservability } from '../observability';
import { orderIdSchema, parseTaskInput } from './task-input';

const input = z.object({
  orderId: orderIdSchema,
  service: z.enum(SHIPPING_SERVICES),
});

/** State SendConfirmation (PrepareShipment's second branch): {orderId, service} -> {orderId, notificationId}. */
export function makeSendOrderConfirmationHandler(deps: {
  readonly orders: OrderStore;
  readonly notifier: Notifier;
}) {
  return withObservability(async (event: unknown) => {
    const result = await sendOrderConfirmation(deps, parseTaskInput('sendOrderConfirmation', input, event));
    metrics.addMetric('OrderConfirmationQueued', MetricUnit.Count, 1);
    return result;
  }, orderIdField);
}
