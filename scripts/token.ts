/**
 * npm run token -- <customerId> [--expires-in <seconds>]: prints a bearer token of the local issuer for that customer,
 * for the local cloud's API (`curl -H "Authorization: Bearer $(npm run -s token -- cus_1)" ...`).
 */
import { join } from 'node:path';
import { DEFAULT_AUTH_DIR, loadOrCreateLocalIssuer } from '../local';

const USAGE = 'usage: npm run token -- <customerId> [--expires-in <seconds>]';

async function main(args: string[]): Promise<void> {
  const [customerId, flag, value] = args;
  if (customerId === undefined || customerId.startsWith('-')) throw new Error(USAGE);
  let expiresInSeconds: number | undefined;
  if (flag !== undefined) {
    expiresInSeconds = Number(value);
    if (flag !== '--expires-in' || !Number.isInteger(expiresInSeconds)) throw new Error(USAGE);
  }
  const issuer = await loadOrCreateLocalIssuer(
    process.env.LOCAL_DATA_DIR ? join(process.env.LOCAL_DATA_DIR, 'auth') : DEFAULT_AUTH_DIR,
  );
  console.log(issuer.sign(customerId, expiresInSeconds === undefined ? {} : { expiresInSeconds }));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
