import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface SentCommand {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

type Responder = (command: SentCommand, index: number) => unknown;

/**
 * A DocumentClient whose `send` records each command (class name + input) and answers with the responder's
 * value, or rejects when the responder throws: enough to assert the exact DynamoDB calls an adapter makes.
 */
export function fakeDocumentClient(responder: Responder = () => ({})) {
  const sent: SentCommand[] = [];
  const client = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const recorded = { name: command.constructor.name, input: command.input };
      sent.push(recorded);
      try {
        return Promise.resolve(responder(recorded, sent.length - 1));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, sent };
}

/** An error shaped like the SDK's, by name and HTTP status. */
export function awsError(name: string, httpStatusCode = 400, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode }, ...extra });
}
