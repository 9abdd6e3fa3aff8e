import type * as z from 'zod/mini';

export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** A request the HTTP layer rejects before any domain code runs; the error middleware renders it. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: readonly FieldIssue[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Field paths as clients write them: `items.0.quantity`. */
export function fieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/** Parses with the schema or throws a 400 naming each invalid field. */
export function parseRequest<S extends z.ZodMiniType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(400, 'ValidationError', 'The request is invalid', fieldIssues(result.error));
}
