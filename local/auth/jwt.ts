import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { UnauthorizedError } from '../../src/domain/errors';

/** What a verifier checks a token against: the issuer's public key and the claims API Gateway's JWT authorizer checks. */
export interface JwtExpectations {
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly issuer: string;
  readonly audience: string;
  /** Seconds since the epoch; injectable so tests need no clock. */
  readonly now: () => number;
}

// API Gateway allows no clock skew worth speaking of; a few seconds covers a laptop's clock against itself.
const LEEWAY_SECONDS = 5;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An RS256 JWT over `claims`, as Cognito or any OIDC provider issues them. */
export function signJwt(privateKey: KeyObject, keyId: string, claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: keyId }));
  const payload = base64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey);
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UnauthorizedError(`The token's ${what} is not base64url-encoded JSON`);
}

/** The bearer token of an Authorization header, or UnauthorizedError saying what is wrong with the header. */
export function bearerToken(authorizationHeader: string | undefined): string {
  if (authorizationHeader === undefined || authorizationHeader.trim() === '') {
    throw new UnauthorizedError('Missing Authorization header: send "Authorization: Bearer <token>"');
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(authorizationHeader.trim());
  if (!match?.[1]) throw new UnauthorizedError('The Authorization header must be "Bearer <token>"');
  return match[1];
}

function audienceMatches(claims: Record<string, unknown>, audience: string): boolean {
  const { aud, client_id: clientId } = claims;
  // Cognito access tokens carry client_id and no aud; API Gateway accepts either, and so does this.
  if (Array.isArray(aud) ? aud.includes(audience) : aud === audience) return true;
  return aud === undefined && clientId === audience;
}

function checkTimes(claims: Record<string, unknown>, now: number): void {
  const { exp, nbf } = claims;
  if (typeof exp !== 'number') throw new UnauthorizedError('The token has no expiry (exp claim)');
  if (now > exp + LEEWAY_SECONDS) throw new UnauthorizedError('The token has expired');
  if (typeof nbf === 'number' && now + LEEWAY_SECONDS < nbf) {
    throw new UnauthorizedError('The token is not valid yet (nbf claim)');
  }
}

/**
 * Verifies a bearer token as API Gateway's JWT authorizer does: RS256 signature by the expected key, iss, aud (or a
 * Cognito access token's client_id), exp and nbf. Returns the claims; throws UnauthorizedError naming the first
 * problem found.
 */
export function verifyJwt(
  authorizationHeader: string | undefined,
  expected: JwtExpectations,
): Record<string, unknown> {
  const parts = bearerToken(authorizationHeader).split('.');
  if (parts.length !== 3)
    throw new UnauthorizedError('The token is not a JWT (expected three dot-separated parts)');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart, 'header');
  if (header.alg !== 'RS256') {
    throw new UnauthorizedError(
      `The token is signed with ${String(header.alg)}; this API accepts RS256 only`,
    );
  }
  if (header.kid !== undefined && header.kid !== expected.keyId) {
    throw new UnauthorizedError('The token is signed by a key this issuer does not know');
  }
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  if (!verify('sha256', signed, expected.publicKey, Buffer.from(signaturePart, 'base64url'))) {
    throw new UnauthorizedError('The token signature is invalid');
  }
  const claims = decodePart(payloadPart, 'payload');
  if (claims.iss !== expected.issuer) {
    throw new UnauthorizedError(`The token was not issued by ${expected.issuer}`);
  }
  if (!audienceMatches(claims, expected.audience)) {
    throw new UnauthorizedError(`The token is not meant for this API (audience ${expected.audience})`);
  }
  checkTimes(claims, expected.now());
  return claims;
}

/** The public half of a PEM private key. */
export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}
