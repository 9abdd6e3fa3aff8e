import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signJwt } from '../../auth/jwt';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER_URL,
  loadOrCreateLocalIssuer,
  loadOrCreateLocalSecret,
} from '../../auth/local-issuer';
import { UnauthorizedError } from '../../../src/domain/errors';

let dir: string;
const savedSecret = process.env.LOCAL_TEST_SECRET;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'local-issuer-'));
  delete process.env.LOCAL_TEST_SECRET;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (savedSecret === undefined) delete process.env.LOCAL_TEST_SECRET;
  else process.env.LOCAL_TEST_SECRET = savedSecret;
});

/** A token signed with the issuer's own key but with chosen claims (for the claim checks). */
function withClaims(claims: Record<string, unknown>): string {
  const stored = JSON.parse(readFileSync(join(dir, 'local-issuer.json'), 'utf8')) as {
    keyId: string;
    privateKeyPem: string;
  };
  const now = Math.floor(Date.now() / 1000);
  return signJwt(createPrivateKey(stored.privateKeyPem), stored.keyId, {
    iss: LOCAL_ISSUER_URL,
    aud: LOCAL_AUDIENCE,
    sub: 'cus_1',
    exp: now + 60,
    ...claims,
  });
}

function rejection(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthorizedError);
    return (error as Error).message;
  }
  throw new Error('expected an UnauthorizedError');
}

describe('local issuer', () => {
  it('signs a token whose verified claims carry the customer id as sub, the issuer and the audience', async () => {
    const issuer = await loadOrCreateLocalIssuer(dir);

    const claims = issuer.verify(`Bearer ${issuer.sign('cus_42')}`);

    expect(claims).toMatchObject({ sub: 'cus_42', iss: LOCAL_ISSUER_URL, aud: LOCAL_AUDIENCE });
    expect(issuer).toMatchObject({ issuer: LOCAL_ISSUER_URL, audience: LOCAL_AUDIENCE });
  });

  it('keeps its key in the directory, readable by the owner only, so tokens survive a restart', async () => {
    const token = (await loadOrCreateLocalIssuer(dir)).sign('cus_1');

    const reloaded = await loadOrCreateLocalIssuer(dir);

    expect(reloaded.verify(`Bearer ${token}`).sub).toBe('cus_1');
    expect(statSync(join(dir, 'local-issuer.json')).mode & 0o077).toBe(0);
  });

  it.each([
    ['no header', undefined, 'Missing Authorization header'],
    ['an empty header', '  ', 'Missing Authorization header'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'must be "Bearer <token>"'],
    ['a token that is not a JWT', 'Bearer abc.def', 'not a JWT'],
    ['a header that is not JSON', 'Bearer !!!.e30.sig', 'header is not base64url-encoded JSON'],
  ])('rejects %s', async (_case, header, message) => {
    const issuer = await loadOrCreateLocalIssuer(dir);

    expect(rejection(() => issuer.verify(header))).toContain(message);
  });

  it('rejects a token signed by another key', async () => {
    const issuer = await loadOrCreateLocalIssuer(dir);
    const otherDir = mkdtempSync(join(tmpdir(), 'local-issuer-other-'));
    const stranger = await loadOrCreateLocalIssuer(otherDir);
    rmSync(otherDir, { recursive: true, force: true });

    expect(rejection(() => issuer.verify(`Bearer ${stranger.sign('cus_1')}`))).toMatch(
      /unknown|does not know/,
    );
  });

  it('rejects a token whose payload was changed after signing', async () => {
    const issuer = await loadOrCreateLocalIssuer(dir);
    const [header, , signature] = issuer.sign('cus_1').split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'cus_2', exp: 9_999_999_999 })).toString('base64url');

    expect(rejection(() => issuer.verify(`Bearer ${header}.${forged}.${signature}`))).toBe(
      'The token signature is invalid',
    );
  });

  it('rejects an unsigned (alg none) token', async () => {
    const issuer = await loadOrCreateLocalIssuer(dir);
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'cus_1' })).toString('base64url');

    expect(rejection(() => issuer.verify(`Bearer ${none}.${payload}.`))).toContain('RS256 only');
  });

  it('rejects an expired token', async () => {
    const issuer = await loadOrCreateLocalIssuer(dir);

    expect(rejection(() => issuer.verify(`Bearer ${issuer.sign('cus_1', { expiresInSeconds: -60 })}`))).toBe(
      'The token has expired',
    );
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example' }, 'not issued by'],
    ['another audience', { aud: 'other-app' }, 'not meant for this API'],
    ['no expiry', { exp: undefined }, 'no expiry'],
    ['a future nbf', { nbf: Math.floor(Date.now() / 1000) + 600 }, 'not valid yet'],
  ])('rejects a token with %s', async (_case, claims, message) => {
    const issuer = await loadOrCreateLocalIssuer(dir);

    expect(rejection(() => issuer.verify(`Bearer ${withClaims(claims)}`))).toContain(message);
  });

  it('accepts a Cognito-style access token that names the app client as client_id instead of aud', async () => {
    const issuer = await loadOrCreateLocalIssuer(dir);

    const token = withClaims({ aud: undefined, client_id: LOCAL_AUDIENCE });

    expect(issuer.verify(`Bearer ${token}`).sub).toBe('cus_1');
  });
});

describe('local secrets', () => {
  it('generates a secret once, keeps it under the variable name in kebab case, and returns it afterwards', async () => {
    const first = await loadOrCreateLocalSecret(dir, 'LOCAL_TEST_SECRET');

    expect(first.length).toBeGreaterThanOrEqual(40);
    expect(readFileSync(join(dir, 'local-test-secret'), 'utf8')).toBe(first);
    expect(await loadOrCreateLocalSecret(dir, 'LOCAL_TEST_SECRET')).toBe(first);
  });

  it('keeps one secret per variable', async () => {
    const first = await loadOrCreateLocalSecret(dir, 'LOCAL_TEST_SECRET');

    expect(await loadOrCreateLocalSecret(dir, 'OTHER_SECRET')).not.toBe(first);
  });

  it('prefers the variable when it is set', async () => {
    process.env.LOCAL_TEST_SECRET = 'from-the-environment';

    expect(await loadOrCreateLocalSecret(dir, 'LOCAL_TEST_SECRET')).toBe('from-the-environment');
  });
});
