import type { JsonObject } from './definition';

/** The SDK response metadata AWS adds to a service integration's result (startExecution, DynamoDB, ...). */
export function sdkMetadata(contentType: string, requestId: string = crypto.randomUUID()): JsonObject {
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: { 'Content-Type': [contentType], 'x-amzn-RequestId': [requestId] },
      HttpHeaders: { 'Content-Type': contentType, 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}
