import type { PipelineDeps } from '../../lambdas/pipeline/deps';
import type { ObjectRef, ObjectStore } from '../../lambdas/storage/object-store';
import type { ProfileStore, RunStore } from '../../lambdas/storage/profile-store';

/**
 * Fault injection for pipeline tests: wraps the real stores (s3rver, dynalite) so chosen calls fail, and records
 * which stage the run is in (runPipeline writes `stage` to the runs table as each stage starts).
 */

/** A call on a store, as a fault rule sees it. */
export interface Call {
  store: 'objects' | 'profiles';
  method: string;
  /** The object key, for ObjectStore calls that take a ref. */
  key: string | null;
  /** The stage the run was in when the call was made. */
  stage: string | null;
}

const OBJECT_WRITES = new Set(['putText', 'putBytes', 'putStream', 'deletePrefix']);
const PROFILE_WRITES = new Set(['putProfiles', 'activateRun', 'deleteProfiles', 'putTombstones', 'deleteRun']);

export function isWrite(call: Call): boolean {
  return call.store === 'objects' ? OBJECT_WRITES.has(call.method) : PROFILE_WRITES.has(call.method);
}

export class InjectedFault extends Error {
  constructor(call: Call) {
    super(`injected fault: ${call.store}.${call.method} in stage ${call.stage ?? '-'}`);
    this.name = 'InjectedFault';
  }
}

type Method = (...args: unknown[]) => unknown;

/** Wraps every method of `target`: `onCall` sees the call first and may throw to fail it. */
function intercept<T extends object>(target: T, onCall: (method: string, args: unknown[]) => void): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          onCall(String(property), args);
        } catch (error) {
          return Promise.reject(error);
        }
        return (value as Method).apply(object, args);
      };
    },
  });
}

function keyOf(args: unknown[]): string | null {
  const ref = args[0] as Partial<ObjectRef> | undefined;
  if (typeof ref === 'object' && ref !== null && typeof ref.key === 'string') return ref.key;
  return typeof args[1] === 'string' ? args[1] : null;
}

export interface FaultyDeps {
  deps: PipelineDeps;
  /** Every store call made through `deps`, in order. */
  calls: Call[];
  /** Set or change the rule at any time; returning true fails that call with an InjectedFault. */
  failWhen: (rule: ((call: Call) => boolean) | null) => void;
}

/** `deps` with stores that record every call and fail the ones `rule` picks. */
export function faultyDeps(real: PipelineDeps): FaultyDeps {
  const calls: Call[] = [];
  let stage: string | null = null;
  let rule: ((call: Call) => boolean) | null = null;
  const check = (store: Call['store']) => (method: string, args: unknown[]) => {
    const call: Call = { store, method, key: store === 'objects' ? keyOf(args) : null, stage };
    calls.push(call);
    if (rule?.(call)) throw new InjectedFault(call);
  };
  const runs = intercept<RunStore>(real.runs, (method, args) => {
    const patch = args[1] as { stage?: unknown } | undefined;
    if (method === 'create') stage = null;
    if (method === 'update' && typeof patch?.stage === 'string') stage = patch.stage;
  });
  return {
    deps: {
      ...real,
      objects: intercept<ObjectStore>(real.objects, check('objects')),
      profiles: intercept<ProfileStore>(real.profiles, check('profiles')),
      runs,
    },
    calls,
    failWhen: (next) => {
      rule = next;
    },
  };
}
