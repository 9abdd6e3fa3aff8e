import { createPrivateKey, generateKeyPair, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publicKeyOf, signJwt, verifyJwt } from './jwt';

/**
 * The local stand-in for the customers' identity provider (Cognito on AWS): it signs tokens for any customer id and
 * verifies them as API Gateway's JWT authorizer would. serverless.yml's `local` stage names the same issuer and
 * audience (params jwtIssuerUrl, jwtAudience).
 */
export interface LocalIssuer {
  readonly issuer: string;
  /** The local app client id: tokens carry it as `aud` (and `client_id`, like Cognito access tokens). */
  readonly audience: string;
  /** An RS256 JWT whose `sub` is the customer id; one hour unless told otherwise (negative: already expired). */
  sign(sub: string, options?: { expiresInSeconds?: number }): string;
  /** Verifies signature, iss, aud or client_id, exp and nbf; returns the claims or throws UnauthorizedError. */
  verify(authorizationHeader: string | undefined): Record<string, unknown>;
}

export const LOCAL_ISSUER_URL = 'http://127.0.0.1/local-issuer';
export const LOCAL_AUDIENCE = 'order-processing-local';
/** Where `npm start` and `npm run token` keep the signing key and the local secrets. */
export const DEFAULT_AUTH_DIR = '.local/auth';

const ISSUER_FILE = 'local-issuer.json';
const DEFAULT_EXPIRY_SECONDS = 60 * 60;

interface StoredKey {
  readonly keyId: string;
  readonly privateKeyPem: string;
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes a file only the owner can read, unless it exists: two processes starting at once keep the first one's. */
async function writeSecretOnce(path: string, content: string): Promise<string> {
  try {
    await writeFile(path, content, { mode: 0o600, flag: 'wx' });
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFile(path, 'utf8');
  }
}

async function loadOrCreateKey(dir: string): Promise<StoredKey> {
  const path = join(dir, ISSUER_FILE);
  const existing = await readIfPresent(path);
  if (existing !== undefined) return JSON.parse(existing) as StoredKey;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const created: StoredKey = {
    keyId: randomUUID(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  return JSON.parse(await writeSecretOnce(path, JSON.stringify(created))) as StoredKey;
}

function issuerFor(stored: StoredKey): LocalIssuer {
  const privateKey: KeyObject = createPrivateKey(stored.privateKeyPem);
  const publicKey = publicKeyOf(privateKey);
  const now = () => Math.floor(Date.now() / 1000);
  return {
    issuer: LOCAL_ISSUER_URL,
    audience: LOCAL_AUDIENCE,
    sign(sub, options = {}) {
      const issuedAt = now();
      return signJwt(privateKey, stored.keyId, {
        iss: LOCAL_ISSUER_URL,
        sub,
        aud: LOCAL_AUDIENCE,
        client_id: LOCAL_AUDIENCE,
        token_use: 'access',
        scope: 'orders',
        iat: issuedAt,
        exp: issuedAt + (options.expiresInSeconds ?? DEFAULT_EXPIRY_SECONDS),
        jti: randomUUID(),
      });
    },
    verify: (authorizationHeader) =>
      verifyJwt(authorizationHeader, {
        publicKey,
        keyId: stored.keyId,
        issuer: LOCAL_ISSUER_URL,
        audience: LOCAL_AUDIENCE,
        now,
      }),
  };
}

/** The local issuer whose key is kept in `dir` (created on first use, then reused so tokens survive restarts). */
export async function loadOrCreateLocalIssuer(dir: string): Promise<LocalIssuer> {
  return issuerFor(await loadOrCreateKey(dir));
}

/**
 * A secret of the local cloud (serverless.yml custom.local.secrets; on AWS, Secrets Manager): the variable itself if
 * it is set, else a random one generated once and kept in `dir` under the variable's name in kebab case
 * (CARRIER_WEBHOOK_SECRET -> carrier-webhook-secret).
 */
export async function loadOrCreateLocalSecret(dir: string, variable: string): Promise<string> {
  const fromEnv = process.env[variable];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv;
  const path = join(dir, variable.toLowerCase().replaceAll('_', '-'));
  const existing = await readIfPresent(path);
  if (existing !== undefined && existing.trim() !== '') return existing.trim();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return (await writeSecretOnce(path, randomBytes(32).toString('base64url'))).trim();
}
