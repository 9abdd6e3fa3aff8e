import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createOrder, type CreateOrderDeps, type CreateOrderResult } from '../../application/create-order';
import { logger, metrics } from '../../shared/powertools';
import { withObservability } from '../observability';
import { customerIdOf } from './customer';
import { createOrderBody, idempotencyKeySchema, type CreateOrderBody } from './create-order-request';
import { httpErrorHandler } from './error-handler';
import { HttpError, parseRequest } from './http-error';
import { header, parseJsonBody } from './json-body';
import { jsonResponse } from './responses';

export interface CreateOrderHandlerDeps extends CreateOrderDeps {
  /** Where Powertools keeps idempotency records (the IdempotencyTable on AWS). */
  readonly idempotencyStore: BasePersistenceLayer;
  /** Whether the 202 names the execution: its ARN discloses the account id, so only the local stage says yes. */
  readonly responseIncludesExecutionArn: boolean;
}

interface IdempotentCreateOrder {
  /** Scoped by customer: two customers who happen to pick the same key never see each other's order. */
  readonly idempotencyKey: string;
  /** The request body as sent: its hash is compared when a key is reused. */
  readonly body: unknown;
  readonly customerId: string;
  readonly order: Omit<CreateOrderBody, 'customerId'>;
}

/**
 * POST /orders. The Idempotency-Key header is handled by Powertools idempotency around the inner createOrder:
 * keyed on the header, payload validation on the body hash (a reused key with another body is 422), the stored
 * result replayed for a repeat. Powertools gives us the in-progress lock, expiry and the DynamoDB schema the
 * contract fixes, so no hand-written conditional-write protocol is needed. Requests without the header are not
 * deduplicated (each creates an order).
 */
export function makeCreateOrderHandler(deps: CreateOrderHandlerDeps) {
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'idempotencyKey',
    payloadValidationJmesPath: 'body',
    expiresAfterSeconds: 24 * 60 * 60,
  });
  const createOrderOnce = makeIdempotent(
    (request: IdempotentCreateOrder): Promise<CreateOrderResult> =>
      createOrder(deps, { ...request.order, customerId: request.customerId }),
    { persistenceStore: deps.idempotencyStore, config: idempotency, keyPrefix: 'createOrder' },
  );

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
      idempotency.registerLambdaContext(context);
      result = await createOrderOnce({
        idempotencyKey: `${customerId} ${key.data}`,
        customerId,
        body,
        order,
      });
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
