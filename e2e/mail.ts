import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type BrowserContext } from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { DbTarget } from './targets';

/** One message as the test SMTP server received it (scripts/e2e-smtp.mjs), parsed by mailparser. */
export interface ReceivedMail {
  file: string;
  raw: Buffer;
  envelopeTo: string[];
  parsed: ParsedMail;
}

export async function receivedMail(target: DbTarget): Promise<ReceivedMail[]> {
  if (!existsSync(target.mailDir)) return [];
  const files = readdirSync(target.mailDir).filter((f) => f.endsWith('.eml')).sort();
  return Promise.all(
    files.map(async (file) => {
      const raw = readFileSync(path.join(target.mailDir, file));
      const parsed = await simpleParser(raw);
      const envelope = parsed.headers.get('x-test-envelope-to');
      return { file, raw, parsed, envelopeTo: String(envelope ?? '').split(',').map((a) => a.trim().toLowerCase()).filter(Boolean) };
    }),
  );
}

export async function mailTo(target: DbTarget, address: string): Promise<ReceivedMail[]> {
  return (await receivedMail(target)).filter((m) => m.envelopeTo.includes(address.toLowerCase()));
}

/** Waits until `address` has a message whose subject matches, and returns it. */
export async function waitForMail(target: DbTarget, address: string, subject: RegExp): Promise<ReceivedMail> {
  let found: ReceivedMail | undefined;
  await expect
    .poll(async () => {
      found = (await mailTo(target, address)).find((m) => subject.test(m.parsed.subject ?? ''));
      return found?.parsed.subject ?? null;
    }, { message: `a message to ${address} with a subject like ${subject}`, timeout: 30_000 })
    .toMatch(subject);
  return found!;
}

/** Opens the confirmation link sent to `address` in a new tab of `context` (the first tab keeps its unlocked keys). */
export async function confirmAddress(context: BrowserContext, target: DbTarget, address: string): Promise<void> {
  const mail = await waitForMail(target, address, /^Confirm your e-mail address/);
  const link = /(http:\/\/\S+\/verify-email#[A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')?.[1];
  expect(link, 'the confirmation link').toBeTruthy();
  const tab = await context.newPage();
  await tab.goto(link!);
  await expect(tab.getByTestId('verify-email-done')).toContainText(address);
  // The token leaves the address bar once spent.
  expect(new URL(tab.url()).hash).toBe('');
  await tab.close();
}
