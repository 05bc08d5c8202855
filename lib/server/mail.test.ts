import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from './mail';

// Without SMTP_URL (the embedded default), a message is written as an .eml file instead of sent.
describe('mail without SMTP_URL', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'zkinvoice-outbox-'));
    delete process.env.SMTP_URL;
    process.env.OUTBOX_DIR = path.join(dir, 'outbox');
    process.env.ORIGIN = 'http://localhost:3000';
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a complete MIME message under OUTBOX_DIR, readable only by the server’s user', async () => {
    await deliver({ id: '0b5b0a56-9a3e-4f55-9d1c-6e7c4d1b1e01', to: 'a@example.test', subject: 'New invoice from Ä GmbH', text: 'plain part', html: '<p>html part</p>' });
    const [file] = readdirSync(process.env.OUTBOX_DIR!);
    expect(file).toMatch(/0b5b0a56-9a3e-4f55-9d1c-6e7c4d1b1e01\.eml$/);
    const full = path.join(process.env.OUTBOX_DIR!, file!);
    expect(statSync(full).mode & 0o777).toBe(0o600);
    const mail = await simpleParser(readFileSync(full));
    expect(mail.subject).toBe('New invoice from Ä GmbH');
    expect(mail.text?.trim()).toBe('plain part');
    expect(mail.html).toContain('<p>html part</p>');
    expect(mail.from?.text).toContain('no-reply@localhost.localdomain');
    expect(mail.messageId).toBe('<0b5b0a56-9a3e-4f55-9d1c-6e7c4d1b1e01@localhost>');
  });
});
