import type { MiddlewareObj } from '@middy/core';
import {
  CallbackExpiredError,
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  IllegalTransitionError,
  OrderNotFoundError,
  ServiceUnavailable,
  ShipmentNotFoundError,
  UnauthorizedError,
  ValidationError,
} from '../../domain/errors';
import { logger } from '../../shared/powertools';
import { HttpError } from './http-error';
import { jsonResponse, type HttpResponse } from './responses';

/** The one place errors become HTTP responses. Bodies are built from known fields, never from the raw error. */
export function toHttpResponse(error: unknown): HttpResponse {
  if (error instanceof HttpError) {
    const body = { error: error.code, message: error.message, ...(error.issues && { issues: error.issues }) };
    return jsonResponse(error.statusCode, body);
  }
  if (error instanceof UnauthorizedError) {
    // As API Gateway's JWT authorizer answers (RFC 6750), plus the reason in the body.
    return jsonResponse(
      401,
      { error: 'Unauthorized', message: error.message },
      { 'WWW-Authenticate': 'Bearer' },
    );
  }
  if (error instanceof ValidationError)
    return jsonResponse(400, { error: error.name, message: error.message });
  if (error instanceof OrderNotFoundError || error instanceof ShipmentNotFoundError)
    return jsonResponse(404, { error: 'NotFound', message: error.message });
  if (error instanceof IdempotencyKeyReusedError) {
    return jsonResponse(422, {
      error: 'IdempotencyKeyReused',
      message: 'This Idempotency-Key was already used with a different request body',
    });
  }
  if (error instanceof IdempotencyKeyInProgressError) {
    return jsonResponse(409, {
      error: 'Conflict',
      message: 'A request with this Idempotency-Key is in progress',
    });
  }
  if (error instanceof IllegalTransitionError || error instanceof CallbackExpiredError)
    return jsonResponse(409, { error: 'Conflict', message: error.message });
  if (error instanceof ServiceUnavailable) {
    return jsonResponse(
      503,
      { error: 'ServiceUnavailable', message: 'The service is temporarily unavailable; please retry' },
      { 'Retry-After': '5' },
    );
  }
  return jsonResponse(500, { error: 'InternalError', message: 'An unexpected error occurred' });
}

/** Middy middleware: turns any thrown error into a JSON response, logging server-side faults in full. */
export function httpErrorHandler(): MiddlewareObj<unknown, HttpResponse> {
  return {
    onError: (request) => {
      const response = toHttpResponse(request.error);
      if (response.statusCode >= 500) logger.error('Request failed', { error: request.error as Error });
      else logger.info('Request rejected', { statusCode: response.statusCode, error: String(request.error) });
      // Set rather than returned, so the Powertools onError hooks still run (flush metrics, close the trace).
      request.response = response;
    },
  };
}
