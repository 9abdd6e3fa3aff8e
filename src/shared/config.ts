/**
 * Reads the named environment variables once (call it at module load), failing with the missing variable's
 * name so a misconfigured function fails at cold start rather than on some later request.
 */
export function readConfig<const Name extends string>(
  names: readonly Name[],
  env: NodeJS.ProcessEnv = process.env,
): Record<Name, string> {
  const config = {} as Record<Name, string>;
  const missing: string[] = [];
  for (const name of names) {
    const value = env[name];
    if (value === undefined || value.trim() === '') missing.push(name);
    else config[name] = value;
  }
  if (missing.length > 0) throw new Error(`Missing required environment variable(s): ${missing.join(', ')}`);
  return config;
}

/**
 * A whole number of seconds from a configuration value, 0 to `max` (what a Wait state's Seconds takes), or an Error
 * naming the variable.
 */
export function readSeconds(name: string, value: string, max: number): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isInteger(seconds) || seconds < 0 || seconds > max) {
    throw new Error(`${name}=${value} must be a whole number of seconds from 0 to ${max}`);
  }
  return seconds;
}
