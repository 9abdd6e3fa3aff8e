import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnauthorizedError } from '../../domain/errors';

/** Printable ASCII without spaces: Cognito's UUIDs and other providers' subjects (auth0|123, 0oa1b2...) alike. */
const SUBJECT = /^[\x21-\x7E]{1,128}$/;

interface JwtAuthorizerContext {
  readonly authorizer?: { readonly jwt?: { readonly claims?: Record<string, unknown> } };
}

/**
 * The authenticated customer: the `sub` of the JWT that API Gateway's authorizer (or the local gateway) verified. A
 * request without one is refused even if a route were deployed without its authorizer: the customer id is never
 * taken from anywhere else.
 */
export function customerIdOf(event: Pick<APIGatewayProxyEventV2, 'requestContext'>): string {
  const context = event.requestContext as
    (APIGatewayProxyEventV2['requestContext'] & JwtAuthorizerContext) | undefined;
  const sub = context?.authorizer?.jwt?.claims?.sub;
  if (typeof sub !== 'string' || !SUBJECT.test(sub)) {
    throw new UnauthorizedError(
      'This request carries no verified customer token (Authorization: Bearer <JWT>)',
    );
  }
  return sub;
}
