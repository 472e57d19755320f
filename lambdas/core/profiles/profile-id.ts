import { hash } from 'node:crypto';

/**
 * A profile id derived from the cluster's smallest member key, so the same people get the same id on a re-run
 * with the same input, and a person keeps their id as long as their earliest record stays with them.
 */
export function profileIdFor(memberKeys: readonly string[]): string {
  let smallest = memberKeys[0];
  for (const key of memberKeys) if (key < smallest) smallest = key;
  // The one-shot hash: the same digest as createHash(...).update(...).digest(), five times faster for a short key.
  return `P${hash('sha256', smallest, 'hex').slice(0, 16)}`;
}
