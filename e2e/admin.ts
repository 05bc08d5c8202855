import { createHash, randomBytes } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import type { TestDatabase } from './db';
import { expect, newActor, newPerson } from './fixtures';

/**
 * Issues an administrator invitation the way Settings does (a one-time token, stored as its
 * SHA-256), but straight into the database: every spec can then have an admin of its own, while
 * e2e/admin-setup.spec.ts, which consumes the one start-up link, runs in its own order. The admin
 * is then created through the real page and passkey ceremony.
 */
export async function adminInvitationLink(db: TestDatabase): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const hash = createHash('sha256').update(token).digest('hex');
  await db.query("insert into setup_tokens (token_hash, purpose, expires_at) values (decode($1, 'hex'), 'admin-invite', now() + interval '1 hour')", [hash]);
  return `/setup/admin#token=${token}`;
}

/** Registers a platform admin in this page (which must have a virtual authenticator) and lands on /admin. */
export async function becomeAdmin(page: Page, link: string, person = newPerson('admin')): Promise<{ email: string; displayName: string }> {
  await page.goto(link);
  await page.getByLabel('Your name').fill(person.displayName);
  await page.getByLabel('Email').fill(person.email);
  await page.getByRole('button', { name: 'Create administrator with a passkey' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  return person;
}

/** A new admin in a browser context of its own. */
export async function newAdmin(browser: Browser, baseURL: string, db: TestDatabase) {
  const actor = await newActor(browser, baseURL);
  const person = await becomeAdmin(actor.page, await adminInvitationLink(db));
  return { ...actor, person };
}

/** The admin navigation, by its link names. */
export async function adminNav(page: Page, name: 'Overview' | 'Users' | 'Organizations' | 'Audit log' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name, exact: true }).click();
}
