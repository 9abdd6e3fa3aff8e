import * as z from 'zod/mini';
import '../../shared/zod-english';

const SKU = /^SKU-[A-Z0-9-]+$/;
// Intl knows every ISO-3166 alpha-2 region, plus a few codes that are not assigned countries (EU, UN, XK, ...).
const NOT_COUNTRIES = new Set([
  'AC',
  'CP',
  'CQ',
  'DG',
  'EA',
  'EU',
  'EZ',
  'IC',
  'QO',
  'TA',
  'UK',
  'UN',
  'XA',
  'XB',
  'XK',
  'ZZ',
]);
const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code) && regions.of(code) !== undefined;
}

const text = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `must be at most ${max} characters`),
    );

const orderItem = z.strictObject({
  sku: z.string().check(z.maxLength(64), z.regex(SKU, 'must look like SKU-ABC-123')),
  quantity: z
    .number()
    .check(
      z.int('must be a whole number'),
      z.positive('must be at least 1'),
      z.lte(100, 'must be at most 100'),
    ),
});

export const shippingAddressSchema = z.strictObject({
  name: text(100),
  line1: text(200),
  line2: z.optional(text(200)),
  city: text(100),
  postalCode: z
    .string()
    .check(
      z.trim(),
      z.regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,10}$/, 'must be 2 to 11 letters, digits, spaces or dashes'),
    ),
  country: z.string().check(z.refine(isCountryCode, 'must be an ISO-3166 alpha-2 country code such as DE')),
});

/**
 * POST /orders body. Strict objects: a client-sent price or unknown field is rejected, not silently dropped,
 * because prices come only from the catalog. The customer is the token's subject, so a customerId is refused by name.
 */
export const createOrderBody = z.strictObject({
  customerId: z.optional(
    z.never({ error: 'must not be sent: the customer is the subject of your access token' }),
  ),
  items: z.array(orderItem).check(
    z.minLength(1, 'must contain at least one item'),
    z.maxLength(50, 'must contain at most 50 items'),
    z.superRefine((items, context) => {
      const seen = new Set<string>();
      items.forEach(({ sku }, index) => {
        if (seen.has(sku))
          context.addIssue({ code: 'custom', path: [index, 'sku'], message: `duplicate SKU ${sku}` });
        seen.add(sku);
      });
    }),
  ),
  payment: z.strictObject({
    token: z.string().check(z.regex(/^tok_[A-Za-z0-9_]{1,64}$/, 'must be a payment token such as tok_visa')),
  }),
  shippingAddress: shippingAddressSchema,
});

export type CreateOrderBody = z.infer<typeof createOrderBody>;

/** Idempotency-Key header: printable ASCII without spaces, as in the IETF draft and payment APIs. */
export const idempotencyKeySchema = z
  .string()
  .check(z.regex(/^[\x21-\x7E]{1,255}$/, 'Idempotency-Key must be 1 to 255 printable ASCII characters'));
