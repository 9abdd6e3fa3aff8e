/**
 * The local console's static side: GET / and a fixed allow-list of files, served from the Step Functions service's
 * port (the AWS API there is POST with X-Amz-Target, so the two never collide). The page itself talks to the
 * service only through the AWS API, so it would work against any AWS-compatible endpoint.
 */
import { build } from 'esbuild';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const PAGE_DIR = join(__dirname, 'page');

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

type Source = { type: string; load: () => Promise<Buffer | string> };

/** Every path the console serves, and where its bytes come from: nothing outside this list is ever read. */
const ALLOW_LIST: Record<string, Source> = {
  '/': { type: 'text/html; charset=utf-8', load: () => readFile(join(PAGE_DIR, 'index.html')) },
  '/console/style.css': {
    type: 'text/css; charset=utf-8',
    load: () => readFile(join(PAGE_DIR, 'style.css')),
  },
  '/console/app.js': { type: 'text/javascript; charset=utf-8', load: bundlePage },
  // dagre's own minified browser build (layout only; the page draws SVG), straight from node_modules.
  '/console/vendor/dagre.min.js': {
    type: 'text/javascript; charset=utf-8',
    load: () =>
      readFile(join(dirname(require.resolve('@dagrejs/dagre/package.json')), 'dist', 'dagre.min.js')),
  },
};

/** The page's TypeScript as one minified script (esbuild, once per process, on first request). */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [join(PAGE_DIR, 'main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error('esbuild produced no console bundle');
  return file.text;
}

const loaded = new Map<string, Promise<Asset>>();

function asset(path: string, source: Source): Promise<Asset> {
  let promise = loaded.get(path);
  if (!promise) {
    promise = source.load().then((content) => {
      const body = Buffer.from(content);
      return { type: source.type, body, gzip: gzipSync(body, { level: 9 }) };
    });
    // A failed load (e.g. a syntax error while editing the page) is retried on the next request.
    promise.catch(() => loaded.delete(path));
    loaded.set(path, promise);
  }
  return promise;
}

const SECURITY_HEADERS = {
  // Scripts and styles from this origin only; fetch only to this origin (the AWS API on the same port).
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves the console for GET/HEAD requests on an allow-listed path; answers 404 for any other GET/HEAD.
 * Returns false for other methods, which stay the AWS API's.
 */
export async function serveConsole(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const source = Object.hasOwn(ALLOW_LIST, path) ? ALLOW_LIST[path] : undefined;
  if (!source) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end('Not found');
    return true;
  }
  try {
    const { type, body, gzip } = await asset(path, source);
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const content = acceptsGzip ? gzip : body;
    res.writeHead(200, {
      'content-type': type,
      'content-length': content.length,
      'cache-control': 'no-cache',
      vary: 'accept-encoding',
      ...(acceptsGzip ? { 'content-encoding': 'gzip' } : {}),
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : content);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end(`The console could not be built: ${error instanceof Error ? error.message : String(error)}`);
  }
  return true;
}
