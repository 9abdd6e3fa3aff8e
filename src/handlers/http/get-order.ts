import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getOrder } from '../../application/get-order';
import type { Money } from '../../domain/money';
import type { Order } from '../../domain/order';
import { isOrderId } from '../../domain/order-id';
import type { OrderStore } from '../../ports/order-store';
import { withObservability } from '../observability';
import { customerIdOf } from './customer';
import { httpErrorHandler } from './error-handler';
import { HttpError } from './http-error';
import { jsonResponse } from './responses';

const moneyView = ({ amount, currency }: Money) => ({ amount, currency });

/**
 * The public view of an order: no attempt counters or internal bookkeeping. Every object is rebuilt field by
 * field so the JSON reads in a stable order (DynamoDB does not keep the key order of maps).
 */
export function orderView(order: Order) {
  const { orderId, status, items, lines, total, history, failure, payment, shipment, createdAt, updatedAt } =
    order;
  return {
    orderId,
    status,
    items: items.map(({ sku, quantity }) => ({ sku, quantity })),
    ...(lines && {
      lines: lines.map((line) => ({
        sku: line.sku,
        name: line.name,
        quantity: line.quantity,
        unitPrice: moneyView(line.unitPrice),
        lineTotal: moneyView(line.lineTotal),
      })),
    }),
    ...(total && { total: moneyView(total) }),
    history: history.map(({ status: entryStatus, at }) => ({ status: entryStatus, at })),
    ...(failure && { failure: { error: failure.error, cause: failure.cause } }),
    ...(payment && {
      payment: {
        chargeId: payment.chargeId,
        amount: moneyView(payment.amount),
        ...(payment.refund && {
          refund: {
            refundId: payment.refund.refundId,
            amount: moneyView(payment.refund.amount),
            at: payment.refund.at,
          },
        }),
      },
    }),
    ...(shipment && {
      shipment: {
        shipmentId: shipment.shipmentId,
        trackingNumber: shipment.trackingNumber,
        carrier: shipment.carrier,
        ...(shipment.service && { service: shipment.service }),
      },
    }),
    createdAt,
    updatedAt,
  };
}

/**
 * GET /orders/{orderId}: 200 with the caller's order; 404 if unknown or another customer's; 400 if the id cannot be an
 * order id; 401 without a verified customer token.
 */
export function makeGetOrderHandler(deps: { readonly orders: OrderStore }) {
  const lambdaHandler = async (event: APIGatewayProxyEventV2) => {
    const customerId = customerIdOf(event);
    const orderId = event.pathParameters?.orderId ?? '';
    if (!isOrderId(orderId)) {
      throw new HttpError(400, 'ValidationError', 'orderId must be "ord_" followed by a 26-character ULID', [
        { field: 'orderId', message: 'not an order id' },
      ]);
    }
    const order = await getOrder(deps, orderId, customerId);
    return jsonResponse(200, orderView(order));
  };
  return withObservability(lambdaHandler, (event) => event.pathParameters?.orderId).use(httpErrorHandler());
}
