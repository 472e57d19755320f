import { memoised } from '../../../lambdas/core/normalise/memo';

it('remembers a string function per input, null results too, and forgets everything when full', () => {
  const calls: string[] = [];
  const upper = memoised((text: string): string | null => {
    calls.push(text);
    return text === '' ? null : text.toUpperCase();
  }, 3);
  expect([upper('ohio'), upper('ohio'), upper(''), upper('')]).toEqual(['OHIO', 'OHIO', null, null]);
  expect(calls).toEqual(['ohio', '']);
  upper('utah');
  // A fourth distinct input clears the table: the first is computed again.
  upper('iowa');
  upper('ohio');
  expect(calls).toEqual(['ohio', '', 'utah', 'iowa', 'ohio']);
});
