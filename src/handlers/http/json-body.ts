import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpError } from './http-error';

/** Largest accepted request body, in bytes (after base64 decoding). */
export const MAX_BODY_BYTES = 64 * 1024;

/** A header value by case-insensitive name (HTTP API v2 lower-cases them, other sources may not). */
export function header(event: Pick<APIGatewayProxyEventV2, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

type BodyEvent = Pick<APIGatewayProxyEventV2, 'headers' | 'body' | 'isBase64Encoded'>;

/** The body as sent, as text (what a signature covers): 415 unless application/json, 413 if too large. */
export function rawJsonBody(event: BodyEvent): string {
  const mediaType = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new HttpError(415, 'UnsupportedMediaType', 'Content-Type must be application/json');
  }
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) {
    throw new HttpError(413, 'PayloadTooLarge', `The request body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  return raw.toString('utf8');
}

/** The JSON body of an HTTP API event: 415 unless application/json, 413 if too large, 400 if malformed. */
export function parseJsonBody(event: BodyEvent): unknown {
  const raw = rawJsonBody(event);
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new HttpError(400, 'MalformedJson', 'The request body is not valid JSON');
  }
}
