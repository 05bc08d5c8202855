// A real SMTP server for the end-to-end tests (smtp-server, the Nodemailer project's server): it
// accepts every message and writes it, byte for byte, as an .eml file into a folder that the
// specs read and parse with mailparser (e2e/mail.ts). Test machines only.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const [port, dir] = process.argv.slice(2);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
let count = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      const name = `${Date.now()}-${String(++count).padStart(6, '0')}.eml`;
      // The envelope recipients first, as a header the test can trust (Bcc would not show otherwise).
      const envelope = `X-Test-Envelope-To: ${session.envelope.rcptTo.map((r) => r.address).join(', ')}\r\n`;
      writeFileSync(path.join(dir, name), Buffer.concat([Buffer.from(envelope), ...chunks]));
      callback();
    });
  },
});
server.listen(Number(port), 'localhost');
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
