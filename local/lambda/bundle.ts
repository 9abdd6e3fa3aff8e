import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import type { ServiceConfig } from '../serverless-config';

/** Where each function's bundle and the worker bootstrap were written. */
export interface Bundles {
  runtimePath: string;
  /** serverless.yml key -> { bundle path, exported handler name }. */
  functions: Record<string, { bundlePath: string; exportName: string }>;
}

/**
 * Bundles every function with the esbuild options of serverless.yml's custom.esbuild (the ones `sls package` uses,
 * so the local cloud runs the code that deploys), plus the worker bootstrap, in one esbuild run.
 */
export async function bundleFunctions(config: ServiceConfig, outdir: string): Promise<Bundles> {
  const options = config.esbuild;
  const functions: Bundles['functions'] = {};
  const entryPoints: Record<string, string> = {};
  for (const [key, fn] of Object.entries(config.functions)) {
    const dot = fn.handler.lastIndexOf('.');
    const source = fn.handler.slice(0, dot);
    entryPoints[key] = resolve(`${source}.ts`);
    functions[key] = {
      bundlePath: join(resolve(outdir), `${key}.js`),
      exportName: fn.handler.slice(dot + 1),
    };
  }
  const extension = options.format === 'esm' ? 'mjs' : 'js';
  await build({
    ...options,
    entryPoints,
    outdir,
    outExtension: { '.js': `.${extension}` },
    bundle: true,
    logLevel: 'error',
  });
  await build({
    entryPoints: { runtime: join(__dirname, 'runtime.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    logLevel: 'error',
  });
  for (const entry of Object.values(functions))
    entry.bundlePath = entry.bundlePath.replace(/\.js$/, `.${extension}`);
  return { runtimePath: join(resolve(outdir), 'runtime.js'), functions };
}
