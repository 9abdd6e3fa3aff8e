import type { FunctionConfig, ServiceConfig } from './serverless-config';

/**
 * serverless.yml's `custom.local`, per function key: environment variables the local cloud sets differently from
 * AWS. A service without such functions has no `custom.local`, and the local cloud then sets nothing of the kind.
 */
export interface LocalSettings {
  /** Variables that hold seconds: multiplied by the local cloud's time scale, like its Wait states and Retry intervals. */
  timeScaledSeconds: Record<string, string[]>;
  /** Variables set to a secret the local cloud generates once and keeps (on AWS the function reads Secrets Manager). */
  secrets: Record<string, string[]>;
}

/** custom.local, checked against the functions and their environment so that a typo fails at start. */
export function localSettings(
  printed: Partial<LocalSettings>,
  functions: Readonly<Record<string, FunctionConfig>>,
): LocalSettings {
  const settings = { timeScaledSeconds: printed.timeScaledSeconds ?? {}, secrets: printed.secrets ?? {} };
  for (const [key, variables] of Object.entries(settings.timeScaledSeconds)) {
    const environment = functions[key]?.environment;
    if (!environment)
      throw new Error(`serverless.yml custom.local.timeScaledSeconds names no function: ${key}`);
    for (const variable of variables) {
      if (!Number.isFinite(Number(environment[variable])))
        throw new Error(`custom.local.timeScaledSeconds: ${key} has no number of seconds in ${variable}`);
    }
  }
  for (const key of Object.keys(settings.secrets)) {
    if (!functions[key]) throw new Error(`serverless.yml custom.local.secrets names no function: ${key}`);
  }
  return settings;
}

/**
 * The functions as the local cloud runs them: each time-scaled variable multiplied by `timeScale` (unless `env`, the
 * local cloud's own environment, sets the variable: then that value, as it is), each secret variable set.
 */
export function withLocalSettings(
  config: Pick<ServiceConfig, 'functions' | 'local'>,
  timeScale: number,
  secrets: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, FunctionConfig> {
  const { timeScaledSeconds, secrets: secretVariables } = config.local;
  return Object.fromEntries(
    Object.entries(config.functions).map(([key, fn]) => {
      const scaled = (timeScaledSeconds[key] ?? []).map((variable): [string, string] => [
        variable,
        env[variable] ?? String(Number(fn.environment[variable]) * timeScale),
      ]);
      const secret = (secretVariables[key] ?? []).map((variable): [string, string] => [
        variable,
        secretValue(secrets, variable),
      ]);
      return [
        key,
        { ...fn, environment: { ...fn.environment, ...Object.fromEntries([...scaled, ...secret]) } },
      ];
    }),
  );
}

/** Every variable custom.local.secrets names, once. */
export function secretVariables(config: Pick<ServiceConfig, 'local'>): string[] {
  return [...new Set(Object.values(config.local.secrets).flat())];
}

function secretValue(secrets: Readonly<Record<string, string>>, variable: string): string {
  const value = secrets[variable];
  if (value === undefined) throw new Error(`No local value for the secret ${variable}`);
  return value;
}
