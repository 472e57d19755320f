import { InputFileError, safeErrorMessage, StageError } from '../../lambdas/core/errors';

describe('safeErrorMessage', () => {
  it('keeps the message of crm-merge errors, which never hold customer values', () => {
    expect(safeErrorMessage(new InputFileError('file is empty'))).toBe('file is empty');
    expect(safeErrorMessage(new StageError('plan', 'boom'))).toBe('plan: boom');
  });

  it('withholds the message of any other error, keeping its name and where it was thrown', () => {
    let thrown: unknown;
    try {
      JSON.parse('{"name": Jane Doe}');
    } catch (error) {
      thrown = error;
    }
    const message = safeErrorMessage(thrown);
    expect(message).toMatch(/^SyntaxError at .+:\d+ \(message withheld: it may quote input data\)$/);
    expect(message).not.toMatch(/Jane/);
  });

  it('reports the HTTP status of an SDK error and describes non-errors by type only', () => {
    const sdk = Object.assign(new Error('Access Denied for jane@x.test'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(safeErrorMessage(sdk)).toMatch(/^AccessDenied \(HTTP 403\)/);
    expect(safeErrorMessage(sdk)).not.toMatch(/jane/);
    expect(safeErrorMessage('jane@x.test')).toBe('non-error value thrown (string)');
  });
});
