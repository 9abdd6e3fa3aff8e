import type { BuildOptions } from 'esbuild';

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
