import {
  functionKeysOf,
  namesOf,
  renameService,
  serviceNameOf,
  serviceNameProblem,
} from '../../../scripts/new-service/names';

const KEYS = ['createOrder', 'sendOrderConfirmation'];

describe('new-service names', () => {
  it.each(['invoices', 'invoice-service', 'a1-b2'])('accepts %s', (name) => {
    expect(serviceNameProblem(name, KEYS)).toBeUndefined();
  });

  it.each(['Invoices', '1invoices', 'invoice_service', 'invoice--service', 'invoices-', '-invoices', ''])(
    'refuses %j, saying which characters are allowed',
    (name) => {
      expect(serviceNameProblem(name, KEYS)).toMatch(/lowercase letters, digits and single hyphens/);
    },
  );

  it('refuses a name whose longest function name would pass 64 characters with a 10-character stage', () => {
    const longest = 'a'.repeat(31); // 31 + 1 + 10 + 1 + 21 (sendOrderConfirmation) = 64
    expect(serviceNameProblem(longest, KEYS)).toBeUndefined();

    expect(serviceNameProblem(`${longest}b`, KEYS)).toBe(
      `"${longest}b" is too long: the function sendOrderConfirmation would be named ` +
        `"${longest}b-<stage>-sendOrderConfirmation", 65 characters with a 10-character stage, over Lambda's 64; ` +
        'use at most 31 characters',
    );
  });

  it("reads the function keys of serverless.yml's functions block, not of other blocks", () => {
    const yml = [
      'provider:',
      '  name: aws',
      'functions:',
      '  createItem:',
      '    handler: src/handlers/create-item.handler',
      '  # a comment',
      '  saveItem: # the task',
      '    role: SaveItemRole',
      'custom:',
      '  tables:',
    ].join('\n');

    expect(functionKeysOf(yml)).toEqual(['createItem', 'saveItem']);
  });

  it("reads the template's name from serverless.yml's service line", () => {
    const yml = [
      '# a comment naming service: other',
      'service: invoice-service # the name',
      'provider:',
    ].join('\n');

    expect(serviceNameOf(yml)).toBe('invoice-service');
    expect(() => serviceNameOf('provider:\n  name: aws')).toThrow(
      'serverless.yml has no `service: <name>` line',
    );
  });

  it('renames every spelling of the template name', () => {
    const text = 'order-processing OrderProcessingError ORDER_PROCESSING_X order processing';

    expect(renameService(text, namesOf('invoice-service'), namesOf('order-processing'))).toBe(
      'invoice-service InvoiceServiceError INVOICE_SERVICE_X order processing',
    );
  });
});
