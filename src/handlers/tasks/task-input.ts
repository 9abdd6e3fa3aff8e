import * as z from 'zod/mini';
import '../../shared/zod-english';

/**
 * Parses a state machine task's input. The ASL builds these inputs, so a mismatch is a programming error: it
 * throws a plain Error, never ValidationError (which means "the customer's order is invalid").
 */
export function parseTaskInput<S extends z.ZodMiniType>(task: string, schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new Error(`${task} received an invalid input: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** A string of at least one character (zod/mini spells checks as functions: `.check(z.minLength(1))`). */
export const nonEmptyString = () => z.string().check(z.minLength(1));
const positiveInt = () => z.number().check(z.int(), z.positive());

export const moneySchema = z.object({
  amount: z.number().check(z.int()),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
});
export const orderIdSchema = nonEmptyString();
export const itemSchema = z.object({ sku: nonEmptyString(), quantity: positiveInt() });
export const lineSchema = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: positiveInt(),
  unitPrice: moneySchema,
  lineTotal: moneySchema,
});
export const addressSchema = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.optional(z.string()),
  city: z.string(),
  postalCode: z.string(),
  country: z.string(),
});
