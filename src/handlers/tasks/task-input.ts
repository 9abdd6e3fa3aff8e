import * as z from 'zod';

/**
 * Parses a state machine task's input. The ASL builds these inputs, so a mismatch is a programming error: it
 * throws a plain Error, never ValidationError (which means "the customer's order is invalid").
 */
export function parseTaskInput<S extends z.ZodType>(task: string, schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new Error(`${task} received an invalid input: ${z.prettifyError(result.error)}`);
  return result.data;
}

export const moneySchema = z.object({ amount: z.number().int(), currency: z.string().regex(/^[A-Z]{3}$/) });
export const orderIdSchema = z.string().min(1);
export const itemSchema = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() });
export const lineSchema = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: moneySchema,
  lineTotal: moneySchema,
});
export const addressSchema = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  postalCode: z.string(),
  country: z.string(),
});
