import { createHash } from 'node:crypto';

/**
 * A profile id derived from the cluster's smallest member key, so the same people get the same id on a re-run
 * with the same input, and a person keeps their id as long as their earliest record stays with them.
 */
export function profileIdFor(memberKeys: readonly string[]): string {
  let smallest = memberKeys[0];
  for (const key of memberKeys) if (key < smallest) smallest = key;
  return `P${createHash('sha256').update(smallest).digest('hex').slice(0, 16)}`;
}
