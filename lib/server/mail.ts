import 'server-only';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { env } from './env';
import { log } from './log';

/**
 * Delivery of one composed message (DESIGN §12). With SMTP_URL the message goes to that server
 * (nodemailer, MIT-0, no dependencies of its own, the standard SMTP client for Node); without it,
 * the same MIME message is written as an .eml file under OUTBOX_DIR and announced on the console,
 * so the embedded default shows what would have been sent. Bodies hold no invoice content and no
 * secret (lib/server/notifications.ts composes them), so neither path can leak one.
 */
export interface MailMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

let transport: Transporter | null = null;

function smtp(url: string): Transporter {
  transport ??= nodemailer.createTransport(url, { from: env().MAIL_FROM });
  return transport;
}

const outboxWriter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

export async function deliver(message: MailMessage): Promise<void> {
  const config = env();
  const mail = { from: config.MAIL_FROM, to: message.to, subject: message.subject, text: message.text, html: message.html, messageId: `<${message.id}@${new URL(config.ORIGIN).hostname}>` };
  if (config.SMTP_URL) {
    await smtp(config.SMTP_URL).sendMail(mail);
    return;
  }
  const info = (await outboxWriter.sendMail(mail)) as { message: Buffer };
  mkdirSync(config.OUTBOX_DIR, { recursive: true, mode: 0o700 });
  const file = path.join(config.OUTBOX_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.id}.eml`);
  writeFileSync(file, info.message, { mode: 0o600 });
  // The file name only: the console is no place for the message itself.
  log('info', 'mail.outbox', { file, kind: 'written without SMTP_URL' });
}
