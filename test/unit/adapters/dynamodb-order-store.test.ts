import { DynamoDbOrderStore } from '../../../src/adapters/dynamodb/order-store';
import { IllegalTransitionError, OrderNotFoundError, ServiceUnavailable } from '../../../src/domain/errors';
import { money } from '../../../src/domain/money';
import { anOrder, ORDER_ID } from '../support/fixtures';
import { awsError, fakeDocumentClient } from '../support/fake-document-client';

const TABLE = 'order-processing-test-orders';
const NOW = new Date('2025-02-03T04:05:06.000Z');

function store(responder: Parameters<typeof fakeDocumentClient>[0]) {
  const fake = fakeDocumentClient(responder);
  return { store: new DynamoDbOrderStore(fake.client, TABLE, () => NOW), sent: fake.sent };
}

describe('DynamoDbOrderStore', () => {
  it('creates an order only if the id is new', async () => {
    const { store: orders, sent } = store(() => ({}));

    await orders.create(anOrder());

    expect(sent).toEqual([
      {
        name: 'PutCommand',
        input: { TableName: TABLE, Item: anOrder(), ConditionExpression: 'attribute_not_exists(orderId)' },
      },
    ]);
  });

  it('reads an order consistently and returns undefined when it does not exist', async () => {
    const { store: orders, sent } = store(() => ({}));

    await expect(orders.get(ORDER_ID)).resolves.toBeUndefined();
    expect(sent[0]).toEqual({
      name: 'GetCommand',
      input: { TableName: TABLE, Key: { orderId: ORDER_ID }, ConsistentRead: true },
    });
  });

  it('moves the status with an UpdateItem conditional on the expected previous status, appending history', async () => {
    const validated = anOrder({ status: 'VALIDATED' });
    const { store: orders, sent } = store(() => ({ Attributes: validated }));
    const total = money(5998, 'EUR');

    const result = await orders.transition(ORDER_ID, ['PENDING'], 'VALIDATED', { total });

    expect(result).toEqual(validated);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.name).toBe('UpdateCommand');
    expect(sent[0]?.input).toEqual({
      TableName: TABLE,
      Key: { orderId: ORDER_ID },
      UpdateExpression:
        'SET #status = :to, #updatedAt = :now, #history = list_append(#history, :entry), #total = :total',
      ConditionExpression: 'attribute_exists(orderId) AND #status IN (:from0)',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#updatedAt': 'updatedAt',
        '#history': 'history',
        '#total': 'total',
      },
      ExpressionAttributeValues: {
        ':to': 'VALIDATED',
        ':now': NOW.toISOString(),
        ':entry': [{ status: 'VALIDATED', at: NOW.toISOString() }],
        ':total': total,
        ':from0': 'PENDING',
      },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('accepts any of several expected statuses (FAILED from any non-terminal one)', async () => {
    const { store: orders, sent } = store(() => ({ Attributes: anOrder({ status: 'FAILED' }) }));

    await orders.transition(ORDER_ID, ['PENDING', 'VALIDATED', 'PAID'], 'FAILED', {
      failure: { error: 'E', cause: 'C' },
    });

    expect(sent[0]?.input.ConditionExpression).toBe(
      'attribute_exists(orderId) AND #status IN (:from0, :from1, :from2)',
    );
  });

  it('treats a repeat of a move that already happened as a no-op returning the stored order', async () => {
    const alreadyValidated = anOrder({ status: 'VALIDATED' });
    const { store: orders, sent } = store(({ name }) => {
      if (name === 'UpdateCommand') throw awsError('ConditionalCheckFailedException');
      return { Item: alreadyValidated };
    });

    await expect(orders.transition(ORDER_ID, ['PENDING'], 'VALIDATED')).resolves.toEqual(alreadyValidated);
    expect(sent.map((command) => command.name)).toEqual(['UpdateCommand', 'GetCommand']);
  });

  it('refuses a move from an unexpected status with IllegalTransitionError', async () => {
    const { store: orders } = store(({ name }) => {
      if (name === 'UpdateCommand') throw awsError('ConditionalCheckFailedException');
      return { Item: anOrder({ status: 'SHIPPED' }) };
    });

    const move = orders.transition(ORDER_ID, ['PENDING'], 'VALIDATED');

    await expect(move).rejects.toThrow(IllegalTransitionError);
    await expect(move).rejects.toThrow('is SHIPPED; it cannot move to VALIDATED');
  });

  it('reports a missing order as OrderNotFoundError', async () => {
    const { store: orders } = store(({ name }) => {
      if (name === 'UpdateCommand') throw awsError('ConditionalCheckFailedException');
      return {};
    });

    await expect(orders.transition(ORDER_ID, ['PENDING'], 'VALIDATED')).rejects.toThrow(OrderNotFoundError);
  });

  it.each([
    ['throttling', awsError('ProvisionedThroughputExceededException')],
    ['a 5xx', awsError('InternalServerError', 500)],
    ['a network error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ])('maps %s to ServiceUnavailable so the workflow retries', async (_label, error) => {
    const { store: orders } = store(() => {
      throw error;
    });

    const move = orders.transition(ORDER_ID, ['PENDING'], 'VALIDATED');

    await expect(move).rejects.toThrow(ServiceUnavailable);
    await expect(move).rejects.toMatchObject({ cause: error });
  });

  it('lets a non-transient error through unchanged', async () => {
    const error = awsError('ValidationException');
    const { store: orders } = store(() => {
      throw error;
    });

    await expect(orders.get(ORDER_ID)).rejects.toBe(error);
  });

  it('counts payment attempts with an atomic ADD on the existing order', async () => {
    const { store: orders, sent } = store(() => ({ Attributes: { paymentAttempts: 3 } }));

    await expect(orders.recordPaymentAttempt(ORDER_ID)).resolves.toBe(3);
    expect(sent[0]).toEqual({
      name: 'UpdateCommand',
      input: {
        TableName: TABLE,
        Key: { orderId: ORDER_ID },
        UpdateExpression: 'ADD paymentAttempts :one',
        ConditionExpression: 'attribute_exists(orderId)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      },
    });
  });

  it('does not count attempts for an order that does not exist', async () => {
    const { store: orders } = store(() => {
      throw awsError('ConditionalCheckFailedException');
    });

    await expect(orders.recordPaymentAttempt(ORDER_ID)).rejects.toThrow(OrderNotFoundError);
  });

  describe('recordRefund', () => {
    const refund = { refundId: 're_1', amount: money(5998, 'EUR'), at: NOW.toISOString() };

    const charge = { chargeId: 'ch_1', amount: money(5998, 'EUR') };

    it('sets the payment with its refund once, conditional on no refund and no other charge', async () => {
      const refunded = anOrder({ payment: { ...charge, refund } });
      const { store: orders, sent } = store(() => ({ Attributes: refunded }));

      await expect(orders.recordRefund(ORDER_ID, charge, refund)).resolves.toEqual(refunded);
      expect(sent[0]).toEqual({
        name: 'UpdateCommand',
        input: {
          TableName: TABLE,
          Key: { orderId: ORDER_ID },
          UpdateExpression: 'SET #payment = :payment, #updatedAt = :now',
          ConditionExpression:
            'attribute_exists(#orderId) AND attribute_not_exists(#payment.#refund) AND ' +
            '(attribute_not_exists(#payment) OR #payment.#chargeId = :chargeId)',
          ExpressionAttributeNames: {
            '#orderId': 'orderId',
            '#payment': 'payment',
            '#refund': 'refund',
            '#chargeId': 'chargeId',
            '#updatedAt': 'updatedAt',
          },
          ExpressionAttributeValues: {
            ':payment': { ...charge, refund },
            ':chargeId': 'ch_1',
            ':now': NOW.toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        },
      });
    });

    it.each([
      [
        'returns the order with its first refund',
        { Item: anOrder({ payment: { chargeId: 'c', amount: money(1, 'EUR'), refund } }) },
        undefined,
      ],
      [
        'throws IllegalTransitionError when another charge paid the order',
        { Item: anOrder({ payment: { chargeId: 'ch_other', amount: money(1, 'EUR') } }) },
        IllegalTransitionError,
      ],
      ['throws OrderNotFoundError for an unknown order', {}, OrderNotFoundError],
    ])('when the condition fails, %s', async (_case, item, errorClass) => {
      const { store: orders } = store((command) => {
        if (command.name === 'UpdateCommand') throw awsError('ConditionalCheckFailedException');
        return item;
      });

      const result = orders.recordRefund(ORDER_ID, charge, refund);

      if (errorClass) await expect(result).rejects.toThrow(errorClass);
      else await expect(result).resolves.toMatchObject({ payment: { refund } });
    });

    it('passes other errors through', async () => {
      const { store: orders } = store(() => {
        throw awsError('ValidationException');
      });

      await expect(orders.recordRefund(ORDER_ID, charge, refund)).rejects.toThrow('ValidationException');
    });
  });
});
