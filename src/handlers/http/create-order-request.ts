import * as z from 'zod/mini';
import '../../shared/zod-english';

const SKU = /^SKU-[A-Z0-9-]+$/;
/**
 * ISO 3166-1 alpha-2: the 249 officially assigned codes. A list, not Intl.DisplayNames: building one loads ICU's
 * region names at cold start (10-17 ms measured), and it also knows codes no parcel goes to (EU, UN, XK, and former
 * countries such as YU or SU).
 */
const COUNTRY_CODES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW ' +
    'BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI ' +
    'FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN ' +
    'IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME ' +
    'MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF ' +
    'PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ' +
    'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE ' +
    'YT ZA ZM ZW'
  ).split(' '),
);

export function isCountryCode(code: string): boolean {
  return COUNTRY_CODES.has(code);
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
