import { callAws, isConditionFailed, isTransientAwsError } from '../../../src/adapters/aws/errors';
import { ServiceUnavailable } from '../../../src/domain/errors';
import { awsError } from '../support/fake-document-client';

describe('transient AWS errors', () => {
  it.each([
    ['ProvisionedThroughputExceededException', awsError('ProvisionedThroughputExceededException')],
    ['ThrottlingException', awsError('ThrottlingException')],
    ['RequestLimitExceeded', awsError('RequestLimitExceeded')],
    ['an HTTP 503', awsError('SomethingElse', 503)],
    ['a server fault', Object.assign(new Error('x'), { $fault: 'server' })],
    ['ECONNRESET', Object.assign(new Error('x'), { code: 'ECONNRESET' })],
    ['TimeoutError', awsError('TimeoutError', 0)],
  ])('treats %s as transient', (_label, error) => {
    expect(isTransientAwsError(error)).toBe(true);
  });

  it.each([
    ['ConditionalCheckFailedException', awsError('ConditionalCheckFailedException')],
    ['ValidationException', awsError('ValidationException')],
    ['ExecutionAlreadyExists', awsError('ExecutionAlreadyExists')],
    ['a string', 'boom'],
    ['null', null],
  ])('treats %s as permanent', (_label, error) => {
    expect(isTransientAwsError(error)).toBe(false);
  });

  it('wraps a transient failure in ServiceUnavailable naming the call', async () => {
    const call = callAws('DynamoDB GetItem', () => Promise.reject(awsError('ThrottlingException')));

    await expect(call).rejects.toThrow(ServiceUnavailable);
    await expect(call).rejects.toThrow('DynamoDB GetItem failed transiently (ThrottlingException');
  });
});

describe('a refused DynamoDB condition', () => {
  it('is recognised by the error name the SDK gives it', () => {
    expect(isConditionFailed(awsError('ConditionalCheckFailedException'))).toBe(true);
  });

  it.each([
    ['another AWS error', awsError('TransactionCanceledException')],
    ['a plain error', new Error('ConditionalCheckFailedException')],
    ['a thrown string', 'ConditionalCheckFailedException'],
  ])('is not %s', (_label, error) => {
    expect(isConditionFailed(error)).toBe(false);
  });
});
