import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import '../../shared/zod-english';
import { createItem, type CreateItemDeps } from '../../application/create-item';
import { logger, metrics } from '../../shared/powertools';
import { withObservability } from '../observability';
import { customerIdOf } from './customer';
import { httpErrorHandler } from './error-handler';
import { parseRequest } from './http-error';
import { parseJsonBody } from './json-body';
import { jsonResponse } from './responses';

/** The body of POST /items. The customer comes from the verified token, never from the body. */
const createItemBody = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  quantity: z.number().check(z.int(), z.positive()),
});

export interface CreateItemHandlerDeps extends CreateItemDeps {
  /** Whether the 202 names the execution: its ARN discloses the account id, so only the local stage says yes. */
  readonly responseIncludesExecutionArn: boolean;
}

/** POST /items: 202 with the item id once the process workflow has started for it. */
export function makeCreateItemHandler(deps: CreateItemHandlerDeps) {
  const lambdaHandler = async (event: APIGatewayProxyEventV2) => {
    const customerId = customerIdOf(event);
    const body = parseRequest(createItemBody, parseJsonBody(event));
    const { item, executionArn } = await createItem(deps, { customerId, ...body });
    logger.appendKeys({ itemId: item.itemId });
    logger.info('Item accepted', { executionArn });
    metrics.addMetric('ItemAccepted', MetricUnit.Count, 1);
    const answer = deps.responseIncludesExecutionArn
      ? { itemId: item.itemId, executionArn }
      : { itemId: item.itemId };
    return jsonResponse(202, answer);
  };
  return withObservability(lambdaHandler, () => undefined).use(httpErrorHandler());
}
