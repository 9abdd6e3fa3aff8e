/** POST /items over HTTP on the whole local cloud: the gateway's JWT check, the function, the workflow, the table. */
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadOrCreateLocalIssuer } from '../../local';
import { e2e } from './support/env';

async function postItem(body: unknown, authorization?: string) {
  const token = (await loadOrCreateLocalIssuer(e2e.authDir)).sign('cus_e2e');
  const response = await fetch(`${e2e.apiUrl}/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: authorization ?? `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The execution's status once it has ended (polled: the workflow runs after the 202). */
async function finalStatus(executionArn: string): Promise<string | undefined> {
  for (;;) {
    const { status } = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return status;
    await sleep(100);
  }
}

afterAll(() => {
  e2e.sfn.destroy();
  e2e.dynamodb.destroy();
});

describe('POST /items', () => {
  it("answers 202, and the workflow saves the item for the token's customer", async () => {
    const { status, body } = await postItem({ name: 'notebook', quantity: 2 });

    expect(status).toBe(202);
    expect(await finalStatus(String(body.executionArn))).toBe('SUCCEEDED');
    const { Item } = await e2e.dynamodb.send(
      new GetCommand({ TableName: e2e.itemsTable, Key: { itemId: body.itemId } }),
    );
    expect(Item).toMatchObject({ customerId: 'cus_e2e', name: 'notebook', quantity: 2 });
  });

  it('ends the workflow FAILED without saving when the business rule rejects the item', async () => {
    const { status, body } = await postItem({ name: 'pallet', quantity: 101 });

    expect(status).toBe(202);
    expect(await finalStatus(String(body.executionArn))).toBe('FAILED');
    const { Item } = await e2e.dynamodb.send(
      new GetCommand({ TableName: e2e.itemsTable, Key: { itemId: body.itemId } }),
    );
    expect(Item).toBeUndefined();
  });

  it('answers 401 at the gateway for a missing or forged token', async () => {
    expect((await postItem({ name: 'notebook', quantity: 1 }, '')).status).toBe(401);
    expect((await postItem({ name: 'notebook', quantity: 1 }, 'Bearer not.a.jwt')).status).toBe(401);
  });

  it('answers 400 for an invalid body', async () => {
    const { status, body } = await postItem({ name: '', quantity: 1 });

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'ValidationError' });
  });
});
