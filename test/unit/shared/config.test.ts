import { readConfig, readSeconds } from '../../../src/shared/config';

describe('readConfig', () => {
  it('returns the named variables', () => {
    expect(readConfig(['ORDERS_TABLE'], { ORDERS_TABLE: 'orders' })).toEqual({ ORDERS_TABLE: 'orders' });
  });

  it.each([
    ['missing', {}],
    ['empty', { ORDERS_TABLE: '' }],
    ['blank', { ORDERS_TABLE: '  ' }],
  ])('fails naming the variable when it is %s', (_label, env) => {
    expect(() => readConfig(['ORDERS_TABLE', 'CATALOG_TABLE'], { CATALOG_TABLE: 'c', ...env })).toThrow(
      'Missing required environment variable(s): ORDERS_TABLE',
    );
  });

  it('names every missing variable at once', () => {
    expect(() => readConfig(['ORDERS_TABLE', 'STATE_MACHINE_ARN'], {})).toThrow(
      'ORDERS_TABLE, STATE_MACHINE_ARN',
    );
  });

  it('reads process.env by default', () => {
    const saved = process.env.ORDER_PROCESSING_TEST_VAR;
    process.env.ORDER_PROCESSING_TEST_VAR = 'set';
    try {
      expect(readConfig(['ORDER_PROCESSING_TEST_VAR'])).toEqual({ ORDER_PROCESSING_TEST_VAR: 'set' });
    } finally {
      if (saved === undefined) delete process.env.ORDER_PROCESSING_TEST_VAR;
      else process.env.ORDER_PROCESSING_TEST_VAR = saved;
    }
  });
});

describe('readSeconds', () => {
  it.each([
    ['2', 2],
    ['0', 0],
  ])('reads %s as %d seconds', (value, seconds) => {
    expect(readSeconds('DELAY', value, 50)).toBe(seconds);
  });

  it.each(['', 'soon', '-1', '51', '0.5'])('refuses %j, naming the variable', (value) => {
    expect(() => readSeconds('DELAY', value, 50)).toThrow(
      /^DELAY=.* must be a whole number of seconds from 0 to 50$/,
    );
  });
});
