import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

// Fetched once per container, then served from Powertools' cache; a rotated secret is picked up within this time.
const CACHE_SECONDS = 15 * 60;

/**
 * The carrier webhook's shared secret: CARRIER_WEBHOOK_SECRET when it is set (the local cloud sets it), otherwise the
 * Secrets Manager secret CARRIER_WEBHOOK_SECRET_ID names (the stack's CarrierWebhookSecret). Fails at load time,
 * naming both variables, when neither is set. Call at module scope.
 */
export function webhookSecretFromEnv(env: NodeJS.ProcessEnv = process.env): () => Promise<string> {
  const value = env.CARRIER_WEBHOOK_SECRET?.trim();
  if (value) return () => Promise.resolve(value);
  const secretId = env.CARRIER_WEBHOOK_SECRET_ID?.trim();
  if (!secretId) {
    throw new Error(
      'Missing required environment variable: CARRIER_WEBHOOK_SECRET_ID (or CARRIER_WEBHOOK_SECRET)',
    );
  }
  const provider = new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) });
  return async () => {
    const secret = await provider.get(secretId, { maxAge: CACHE_SECONDS });
    if (typeof secret !== 'string' || secret === '')
      throw new Error(`Secret ${secretId} has no string value`);
    return secret;
  };
}
