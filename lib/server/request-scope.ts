import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one API request carries through its handler (set by `route()` in ./http): the body limit
 * its route declared, so `parseJson` and `readBinaryBody` stop reading there, and the session
 * lookup, done at most once however many layers ask for it.
 */
export interface RequestScope {
  bodyLimit: number;
  session?: Promise<unknown>;
  /** A registered credential the request's passkey assertion named, for the audit row of a refusal. */
  knownCredentialId?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(scope: RequestScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn);
}

/** The current API request's scope; undefined in pages and server components. */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
