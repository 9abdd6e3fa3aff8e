import type { BuildOptions } from 'esbuild';
import { readServiceConfig, type ServiceConfig } from '../../local/serverless-config';
import { run } from './util';

export const STAGE = 'local';

/** serverless.yml as `serverless print` resolves it: what the local cloud reads, plus custom.esbuild. */
export interface BenchConfig extends ServiceConfig {
  /** The esbuild options serverless-esbuild builds the deploy bundles with (plugin-only keys removed). */
  esbuild: BuildOptions;
}

// serverless-esbuild's defaults (dist/index.js, DEFAULT_BUILD_OPTIONS) under custom.esbuild, and the keys it
// strips before calling esbuild (dist/bundle.js): the same transformation, so the bench bundles as deploy does.
const PLUGIN_DEFAULTS = {
  bundle: true,
  target: 'node18',
  platform: 'node',
  external: [],
  exclude: ['aws-sdk'],
};
const PLUGIN_ONLY_KEYS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'config',
];

export function esbuildOptionsFrom(custom: Record<string, unknown>): BuildOptions {
  const merged: Record<string, unknown> = { ...PLUGIN_DEFAULTS, ...custom };
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
  const exclude = strings(merged.exclude);
  const external = [...strings(merged.external), ...(exclude.includes('*') ? [] : exclude)];
  const options = Object.fromEntries(
    Object.entries(merged).filter(([key]) => !PLUGIN_ONLY_KEYS.includes(key)),
  );
  const buildOptions: BuildOptions = { ...options, external };
  return buildOptions;
}

/** Reads serverless.yml through the framework (one `serverless print` for the service config, one for custom). */
export async function readBenchConfig(): Promise<BenchConfig> {
  const [service, { stdout }] = await Promise.all([
    readServiceConfig(STAGE),
    run('serverless', ['print', '--stage', STAGE, '--format', 'json', '--path', 'custom.esbuild'], {
      maxBuffer: 16 * 1024 * 1024,
      env: { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', ...process.env },
    }),
  ]);
  return { ...service, esbuild: esbuildOptionsFrom(JSON.parse(stdout) as Record<string, unknown>) };
}
