import { lambdaFailure } from '../../stepfunctions/lambda-invoker';

describe('lambdaFailure', () => {
  it('keeps the errorType AWS Lambda reports and the payload as the cause', () => {
    const payload = JSON.stringify({ errorType: 'PaymentFailedError', errorMessage: 'declined', trace: [] });

    expect(lambdaFailure(payload)).toEqual({ errorType: 'PaymentFailedError', cause: payload });
  });

  it("restores the error's name from the first trace line when serverless-offline reports plain Error", () => {
    const payload = {
      errorType: 'Error',
      errorMessage: 'SKU-NOPE-999 is not in the catalog',
      trace: ['ValidationError: SKU-NOPE-999 is not in the catalog', '    at validate (/x.js:1:1)'],
    };

    const failure = lambdaFailure(JSON.stringify(payload));

    expect(failure.errorType).toBe('ValidationError');
    expect(JSON.parse(failure.cause)).toEqual({ ...payload, errorType: 'ValidationError' });
  });

  it.each([
    ['a real Error', { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom'] }, 'Error'],
    ['no trace', { errorType: 'Error', errorMessage: 'boom' }, 'Error'],
    ['a TypeError', { errorType: 'TypeError', errorMessage: 'x', trace: ['TypeError: x'] }, 'TypeError'],
  ])('leaves %s as it is', (_case, payload, expected) => {
    expect(lambdaFailure(JSON.stringify(payload)).errorType).toBe(expected);
  });

  it('has no error type for a payload that is not JSON', () => {
    expect(lambdaFailure('Task timed out')).toEqual({ cause: 'Task timed out' });
  });
});
