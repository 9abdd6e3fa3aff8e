import '../support/quiet-powertools';
import { ServiceUnavailable } from '../../../src/domain/errors';
import { makeCreateItemHandler } from '../../../src/handlers/http/create-item';
import { httpEvent, lambdaContext, RecordingWorkflowStarter } from '../support/fixtures';

async function post(
  body: unknown,
  options: { customerId?: string | null; workflow?: RecordingWorkflowStarter } = {},
) {
  const workflow = options.workflow ?? new RecordingWorkflowStarter();
  const handler = makeCreateItemHandler({
    workflow,
    newItemId: () => 'itm_1',
    responseIncludesExecutionArn: false,
  });
  const response = await handler(httpEvent(body, options.customerId), lambdaContext());
  return {
    workflow,
    statusCode: response.statusCode,
    body: JSON.parse(response.body) as Record<string, unknown>,
  };
}

describe('POST /items', () => {
  it('starts the workflow for the item of the authenticated customer and answers 202 with its id', async () => {
    const { statusCode, body, workflow } = await post({ name: 'notebook', quantity: 2 });

    expect(statusCode).toBe(202);
    expect(body).toEqual({ itemId: 'itm_1' });
    expect(workflow.started).toEqual([
      { itemId: 'itm_1', customerId: 'cus_1', name: 'notebook', quantity: 2 },
    ]);
  });

  it.each([
    ['no name', { quantity: 1 }],
    ['a zero quantity', { name: 'notebook', quantity: 0 }],
    ['a customerId of its own', { name: 'notebook', quantity: 1, customerId: 'cus_2' }],
  ])('answers 400 and starts nothing for a body with %s', async (_case, requestBody) => {
    const { statusCode, body, workflow } = await post(requestBody);

    expect(statusCode).toBe(400);
    expect(body).toMatchObject({ error: 'ValidationError' });
    expect(workflow.started).toEqual([]);
  });

  it('answers 401 without a verified customer token', async () => {
    const { statusCode, workflow } = await post({ name: 'notebook', quantity: 1 }, { customerId: null });

    expect(statusCode).toBe(401);
    expect(workflow.started).toEqual([]);
  });

  it('answers 503 with Retry-After when the workflow cannot be started', async () => {
    const workflow = new RecordingWorkflowStarter();
    workflow.start = () => Promise.reject(new ServiceUnavailable('Step Functions throttled'));

    const { statusCode, body } = await post({ name: 'notebook', quantity: 1 }, { workflow });

    expect(statusCode).toBe(503);
    expect(body).toEqual({ error: 'ServiceUnavailable', message: expect.any(String) });
  });
});
