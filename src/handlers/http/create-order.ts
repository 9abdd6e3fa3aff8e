import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createOrder, type CreateOrderDeps, type CreateOrderResult } from '../../application/create-order';
import { runOnce, type IdempotencyPolicy } from '../../application/idempotency';
import type { IdempotencyStore } from '../../ports/idempotency-store';
import { logger, metrics } from '../../shared/powertools';
import { withObservability } from '../observability';
import { customerIdOf } from './customer';
import { createOrderBody, idempotencyKeySchema } from './create-order-request';
import { httpErrorHandler } from './error-handler';
import { HttpError, parseRequest } from './http-error';
import { header, parseJsonBody } from './json-body';
import { jsonResponse } from './responses';

export interface CreateOrderHandlerDeps extends CreateOrderDeps {
  /** Where the Idempotency-Key records are kept (the IdempotencyTable on AWS). */
  readonly idempotencyStore: IdempotencyStore<CreateOrderResult>;
  /** Whether the 202 names the execution: its ARN discloses the account id, so only the local stage says yes. */
  readonly responseIncludesExecutionArn: boolean;
}

/** Keys are kept a day. The prefix is part of every record id: changing it would forget every stored key. */
const ONCE_PER_KEY: IdempotencyPolicy = { keyPrefix: 'createOrder', expiresAfterSeconds: 24 * 60 * 60 };

/**
 * POST /orders. With an Idempotency-Key header the order is created once per key and customer (runOnce): a repeat
 * gets the first answer, the key with another body is 422, a repeat while the first is running is 409. Requests
 * without the header are not deduplicated (each creates an order).
 */
/** The order exists but its key was not recorded: a repeat after the lock ends would create a second one. */
function reportLostCompletion(error: unknown): void {
  logger.error('Order created, but its Idempotency-Key record could not be completed', { error });
  metrics.addMetric('IdempotencyRecordLost', MetricUnit.Count, 1);
}

export function makeCreateOrderHandler(deps: CreateOrderHandlerDeps) {
  const lambdaHandler = async (event: APIGatewayProxyEventV2, context: Context) => {
    const customerId = customerIdOf(event);
    const body = parseJsonBody(event);
    // The schema refuses a customerId, so none is left to drop; it is omitted for the type.
    const { customerId: _refused, ...order } = parseRequest(createOrderBody, body); // eslint-disable-line @typescript-eslint/no-unused-vars
    const rawKey = header(event, 'idempotency-key');
    let result: CreateOrderResult;
    if (rawKey === undefined) {
      result = await createOrder(deps, { ...order, customerId });
    } else {
      const key = idempotencyKeySchema.safeParse(rawKey);
      if (!key.success)
        throw new HttpError(400, 'ValidationError', key.error.issues[0]?.message ?? 'Bad key');
      result = await runOnce(
        { store: deps.idempotencyStore, clock: deps.clock, completionLost: reportLostCompletion },
        ONCE_PER_KEY,
        // Scoped by customer: two customers who happen to pick the same key never see each other's order.
        {
          key: `${customerId} ${key.data}`,
          payload: body,
          lockForMillis: context.getRemainingTimeInMillis(),
        },
        () => createOrder(deps, { ...order, customerId }),
      );
    }
    logger.appendKeys({ orderId: result.orderId });
    logger.info('Order accepted', { executionArn: result.executionArn });
    metrics.addMetric('OrderAccepted', MetricUnit.Count, 1);
    // Fields picked in a fixed order: a replayed result comes back from DynamoDB with its keys reordered, and a
    // repeat must get a byte-identical answer.
    const { orderId, status, executionArn } = result;
    const answer = deps.responseIncludesExecutionArn
      ? { orderId, status, executionArn }
      : { orderId, status };
    return jsonResponse(202, answer, { Location: `/orders/${orderId}` });
  };

  return withObservability(lambdaHandler, () => undefined).use(httpErrorHandler());
}
