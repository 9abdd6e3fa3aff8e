import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpRoute } from '../serverless-config';
import { BodyTooLargeError, readBody, sendJson } from './http-util';
import { RETRY_AFTER_SECONDS, TooManyRequestsError, type LambdaPool } from './pool';

/** Checks a route's JWT as API Gateway's JWT authorizer does; throws with the reason on a missing or bad token. */
export interface JwtVerifier {
  verify(authorizationHeader: string | undefined): Record<string, unknown>;
}

export interface HttpApiOptions {
  /** Function key -> its httpApi routes (serverless.yml). */
  routes: { functionKey: string; route: HttpRoute }[];
  pool: LambdaPool;
  region: string;
  accountId: string;
  /** Verifies tokens on routes that name an authorizer; a route with an authorizer and no verifier answers 401. */
  jwt?: JwtVerifier;
  /** API Gateway's own payload limit (10 MB for HTTP APIs). */
  maxBodyBytes?: number;
  log: (line: string) => void;
}

interface CompiledRoute {
  functionKey: string;
  routeKey: string;
  method: string;
  pattern: RegExp;
  names: string[];
  authorized: boolean;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|[\w.+-]+\+json|[\w.+-]+\+xml))/i;

/**
 * The HttpApi of serverless.yml (payload format 2.0) in front of the local Lambda pool: routes with {param} and
 * {proxy+}, the JWT authorizer, and API Gateway's own answers — 404 for no route, 401 for a bad token, 413 for a
 * body over the limit, 500 for a function error, 503 with Retry-After when the functions' queue is full or the
 * integration timed out.
 */
export function createHttpApi(options: HttpApiOptions): Server {
  const routes = options.routes.map(({ functionKey, route }) => compile(functionKey, route));
  return createServer((request, response) => {
    handle(options, routes, request, response).catch((error: unknown) => {
      options.log(`API: ${String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal Server Error' });
    });
  });
}

function compile(functionKey: string, route: HttpRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{([^}+]+)(\+)?\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return {
    functionKey,
    routeKey: `${route.method} ${route.path}`,
    method: route.method,
    pattern: new RegExp(`^${source}$`),
    names,
    authorized: route.authorizer !== undefined && route.authorizer !== null,
  };
}

async function handle(
  options: HttpApiOptions,
  routes: CompiledRoute[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  const found = findRoute(routes, method, url.pathname);
  if (!found) {
    sendJson(response, 404, { message: 'Not Found' });
    return;
  }
  if (!options.pool.admitsFrontDoor(found.route.functionKey)) {
    sendServiceUnavailable(response, RETRY_AFTER_SECONDS);
    return;
  }
  let claims: Record<string, unknown> | undefined;
  if (found.route.authorized) {
    try {
      if (!options.jwt) throw new Error('no JWT issuer is configured locally');
      claims = options.jwt.verify(request.headers.authorization);
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).replace(/"/g, "'");
      sendJson(
        response,
        401,
        { message: 'Unauthorized' },
        {
          'www-authenticate': `Bearer error="invalid_token" error_description="${reason}"`,
        },
      );
      return;
    }
  }
  let body: Buffer;
  try {
    body = await readBody(request, options.maxBodyBytes ?? 10 * 1024 * 1024);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendJson(response, 413, { message: 'Request Entity Too Large' });
    return;
  }
  const event = apiEvent(options, found, request, url, body, claims);
  let outcome;
  try {
    outcome = await options.pool.invoke(found.route.functionKey, event, { frontDoor: true });
  } catch (error) {
    if (!(error instanceof TooManyRequestsError)) throw error;
    sendServiceUnavailable(response, error.retryAfterSeconds);
    return;
  }
  if (!outcome.ok) {
    options.log(`${found.route.routeKey}: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
    if (outcome.error.errorType === 'Sandbox.Timedout') {
      sendServiceUnavailable(response, RETRY_AFTER_SECONDS);
    } else {
      sendJson(response, 500, { message: 'Internal Server Error' });
    }
    return;
  }
  writeResult(response, outcome.result);
}

function sendServiceUnavailable(response: ServerResponse, retryAfterSeconds: number): void {
  sendJson(response, 503, { message: 'Service Unavailable' }, { 'retry-after': String(retryAfterSeconds) });
}

function findRoute(
  routes: CompiledRoute[],
  method: string,
  path: string,
): { route: CompiledRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY' && route.method !== '*') continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(
      route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
    );
    return { route, params };
  }
  return undefined;
}

/** API Gateway's payload format 2.0 event. */
function apiEvent(
  options: HttpApiOptions,
  found: { route: CompiledRoute; params: Record<string, string> },
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  claims: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie')
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => (query[key] = key in query ? `${query[key]},${value}` : value));
  const isText = TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const cookies = request.headers.cookie?.split(/;\s*/);
  return {
    version: '2.0',
    routeKey: found.route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: options.accountId,
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: found.route.routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: scopesOf(claims) } } } : {}),
    },
    ...(found.route.names.length > 0 ? { pathParameters: found.params } : {}),
    ...(body.byteLength > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.byteLength > 0 && !isText,
  };
}

function scopesOf(claims: Record<string, unknown>): string[] | null {
  const scope = claims.scope ?? claims.scp;
  if (typeof scope === 'string') return scope.split(' ');
  return Array.isArray(scope) ? scope.map(String) : null;
}

/** Payload format 2.0: a structured result is used as is; anything else is a 200 JSON body. */
function writeResult(response: ServerResponse, result: unknown): void {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const structured = result as {
      statusCode: number;
      headers?: Record<string, string | number | boolean>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    const body = Buffer.from(structured.body ?? '', structured.isBase64Encoded ? 'base64' : 'utf8');
    const headers: Record<string, string | string[]> = Object.fromEntries(
      Object.entries(structured.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
    headers['content-length'] = String(body.byteLength);
    response.writeHead(structured.statusCode, headers);
    response.end(body);
    return;
  }
  if (typeof result === 'string') {
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(result) });
    response.end(result);
    return;
  }
  sendJson(response, 200, result);
}
