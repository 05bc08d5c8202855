import 'server-only';
import { randomUUID } from 'node:crypto';
import { generateKeyPairs, type GeneratedKeyPairs } from '@/lib/crypto/keys';
import { users } from '@/lib/db/schema';
import { db } from './db';
import type { CurrentSession } from './sessions';

// Unit tests only (eslint lets this file, like *.test.ts, make key pairs as a browser would).

/** A user with real key pairs and a session, written straight to the test database. */
export interface TestPerson {
  userId: string;
  keys: GeneratedKeyPairs;
  session: CurrentSession;
}

export async function testPerson(name: string): Promise<TestPerson> {
  const userId = randomUUID();
  const keys = await generateKeyPairs();
  await db().insert(users).values({ id: userId, email: `${name}-${userId}@example.test`, displayName: name, signingPublicKey: keys.signingPublicKey, encryptionPublicKey: keys.encryptionPublicKey, wrappedPrivateKeys: new Uint8Array(48), recoveryWrappedAccountKey: new Uint8Array(48), recoveryConfirmedAt: new Date() });
  return { userId, keys, session: { sessionId: randomUUID(), userId, credentialId: null, reauthAt: null, isPlatformAdmin: false, displayName: name, email: `${name}@example.test`, recoveryConfirmed: true } };
}
