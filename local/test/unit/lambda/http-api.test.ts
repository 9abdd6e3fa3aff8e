import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpApi, type JwtVerifier } from '../../../lambda/http-api';
import { TooManyRequestsError, type LambdaPool } from '../../../lambda/pool';
import type { InvocationOutcome } from '../../../lambda/worker';

/** A pool that answers what the test says and records each event (no worker processes). */
function fakePool(
  answer: (key: string, event: Record<string, unknown>) => InvocationOutcome | Error,
  frontDoorFull = false,
) {
  const events: { key: string; event: Record<string, unknown> }[] = [];
  const pool = {
    admitsFrontDoor: () => !frontDoorFull,
    invoke: (key: string, event: unknown) => {
      events.push({ key, event: event as Record<string, unknown> });
      const outcome = answer(key, event as Record<string, unknown>);
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
    },
  } as unknown as LambdaPool;
  return { pool, events };
}

const jwt: JwtVerifier = {
  verify: (header) => {
    if (header !== 'Bearer good')
      throw new Error(header ? 'The token signature is invalid' : 'Missing Authorization header');
    return { sub: 'cus_1', scope: 'orders' };
  },
};

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function api(answer: Parameters<typeof fakePool>[0], maxBodyBytes?: number, frontDoorFull = false) {
  const { pool, events } = fakePool(answer, frontDoorFull);
  const server = createHttpApi({
    routes: [
      {
        functionKey: 'createOrder',
        route: { method: 'POST', path: '/orders', authorizer: { name: 'customerJwt' } },
      },
      {
        functionKey: 'getOrder',
        route: { method: 'GET', path: '/orders/{orderId}', authorizer: { name: 'customerJwt' } },
      },
      { functionKey: 'carrierEvent', route: { method: 'POST', path: '/shipments/{shipmentId}/events' } },
    ],
    pool,
    region: 'us-east-1',
    accountId: '000000000000',
    jwt,
    ...(maxBodyBytes ? { maxBodyBytes } : {}),
    log: () => {},
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, events };
}

const ok = (result: unknown): InvocationOutcome => ({ ok: true, result });

describe('local HttpApi', () => {
  it("hands the function API Gateway's payload 2.0 event: route, path parameters, headers, body, the token's claims", async () => {
    const { url, events } = await api(() => ok({ statusCode: 200, body: '{}' }));

    await fetch(`${url}/orders/ord_1?x=1&x=2`, { headers: { authorization: 'Bearer good', 'X-Trace': 't' } });

    expect(events[0]?.key).toBe('getOrder');
    expect(events[0]?.event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /orders/{orderId}',
      rawPath: '/orders/ord_1',
      rawQueryString: 'x=1&x=2',
      queryStringParameters: { x: '1,2' },
      pathParameters: { orderId: 'ord_1' },
      headers: { 'x-trace': 't' },
      requestContext: {
        http: { method: 'GET', path: '/orders/ord_1' },
        authorizer: { jwt: { claims: { sub: 'cus_1' }, scopes: ['orders'] } },
      },
      isBase64Encoded: false,
    });
  });

  it('passes a JSON body as text and a binary one base64-encoded', async () => {
    const { url, events } = await api(() => ok({ statusCode: 202, body: '' }));

    await fetch(`${url}/shipments/shp_1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    await fetch(`${url}/shipments/shp_1/events`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: 'png',
    });

    expect(events[0]?.event).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    expect(events[1]?.event).toMatchObject({
      body: Buffer.from('png').toString('base64'),
      isBase64Encoded: true,
    });
  });

  it.each([
    ['no token', {}, 'Missing Authorization header'],
    ['a bad token', { authorization: 'Bearer forged' }, 'signature is invalid'],
  ])(
    'answers 401 with the reason in WWW-Authenticate for %s, without invoking the function',
    async (_case, headers, reason) => {
      const { url, events } = await api(() => ok({ statusCode: 200 }));

      const response = await fetch(`${url}/orders`, { method: 'POST', headers, body: '{}' });

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
      expect(response.headers.get('www-authenticate')).toContain(reason);
      expect(events).toEqual([]);
    },
  );

  it('answers 404 for no route, and 413 for a body over the limit, without invoking anything', async () => {
    const { url, events } = await api(() => ok({ statusCode: 200 }), 10);

    const none = await fetch(`${url}/nowhere`);
    const large = await fetch(`${url}/shipments/shp_1/events`, { method: 'POST', body: 'x'.repeat(11) });

    expect([none.status, large.status]).toEqual([404, 413]);
    expect(events).toEqual([]);
  });

  it('answers 503 with Retry-After when the functions are saturated, and when the function timed out', async () => {
    let call = 0;
    const { url } = await api(() =>
      ++call === 1
        ? new TooManyRequestsError('Rate Exceeded.')
        : { ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage: 'timed out', trace: [] } },
    );

    const throttled = await fetch(`${url}/shipments/shp_1/events`, { method: 'POST' });
    const timedOut = await fetch(`${url}/shipments/shp_1/events`, { method: 'POST' });

    for (const response of [throttled, timedOut]) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
    }
  });

  it('answers 503 before the authorizer when the front door is full, as API Gateway throttles before authorizing', async () => {
    const { url, events } = await api(() => ok({ statusCode: 202 }), undefined, true);

    const response = await fetch(`${url}/orders`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(events).toEqual([]);
  });

  it('answers 500 without the error for a function that threw', async () => {
    const { url } = await api(() => ({
      ok: false,
      error: { errorType: 'TypeError', errorMessage: 'secret detail', trace: [] },
    }));

    const response = await fetch(`${url}/shipments/shp_1/events`, { method: 'POST' });

    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret detail');
  });

  it("returns a structured result as it is, and any other result as a 200 JSON body (payload 2.0's rule)", async () => {
    const { url } = await api((key) =>
      key === 'getOrder'
        ? ok({ statusCode: 201, headers: { 'X-One': 1 }, cookies: ['a=b'], body: 'done' })
        : ok({ plain: true }),
    );

    const structured = await fetch(`${url}/orders/o`, { headers: { authorization: 'Bearer good' } });
    const plain = await fetch(`${url}/shipments/s/events`, { method: 'POST' });

    expect([
      structured.status,
      structured.headers.get('x-one'),
      structured.headers.get('set-cookie'),
    ]).toEqual([201, '1', 'a=b']);
    expect(await structured.text()).toBe('done');
    expect([plain.status, plain.headers.get('content-type'), await plain.json()]).toEqual([
      200,
      'application/json',
      { plain: true },
    ]);
  });
});
