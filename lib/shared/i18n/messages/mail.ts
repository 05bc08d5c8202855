/**
 * The e-mail notices (DESIGN §12), in the language each recipient last used in the portal. Kept
 * apart from the interface catalogs: only the server composes mail, so browsers never download
 * these. Parameters are organization names, people's names, addresses, times and links: what the
 * server already knows (§7), never invoice content.
 */
export const en = {
  'mail.greeting': 'Hello {name},',
  'mail.footer': 'You receive this because you have an account at {origin}. Choose which notices you get under Settings: {settings}',
  'mail.some_supplier': 'A supplier',
  'mail.other_party': 'The other party',
  'mail.your_org': 'your organization',

  'mail.verify.subject': 'Confirm your e-mail address for zkinvoice',
  'mail.verify.line': 'please confirm that {email} is your address at {origin}. Until you do, the portal sends you no notices.',
  'mail.verify.once': 'The link works once and for 48 hours. If you did not ask for this, ignore this message.',
  'mail.verify.link': 'Confirm my address',

  'mail.email_changed.subject': 'The e-mail address of your zkinvoice account was changed',
  'mail.email_changed.line': 'the address of your account at {origin} was changed to {email} on {time}.',
  'mail.email_changed.advice': 'If this was not you, sign in and check your passkeys, or ask your platform administrator for help.',
  'mail.open_settings': 'Open your settings',

  'mail.received.subject': 'New invoice from {supplier}',
  'mail.received.line': '{supplier} sent {customer} an invoice on {time}.',
  'mail.received.encrypted': 'Its content is end-to-end encrypted: open it in the portal to read it.',
  'mail.open_invoice': 'Open the invoice',
  'mail.event.at': '{line} ({time})',

  'mail.event.payment_announced.subject': '{actor} announced a payment',
  'mail.event.payment_announced.line': '{actor} announced that it paid an invoice from {you}.',
  'mail.event.partially_paid.subject': '{actor} announced a partial payment',
  'mail.event.partially_paid.line': '{actor} announced that it paid part of an invoice from {you}.',
  'mail.event.payment_withdrawn.subject': '{actor} withdrew a payment announcement',
  'mail.event.payment_withdrawn.line': '{actor} withdrew its announcement of a payment for an invoice from {you}.',
  'mail.event.disputed.subject': '{actor} disputed an invoice',
  'mail.event.disputed.line': '{actor} disputed an invoice from {you}. Open it to read the reason.',
  'mail.event.dispute_withdrawn.subject': '{actor} withdrew a dispute',
  'mail.event.dispute_withdrawn.line': '{actor} withdrew its dispute of an invoice from {you}.',
  'mail.event.dispute_comment.subject': '{actor} commented on a disputed invoice',
  'mail.event.dispute_comment.line': '{actor} added a comment to a disputed invoice between it and {you}.',
  'mail.event.paid.subject': '{actor} confirmed your payment',
  'mail.event.paid.line': '{actor} confirmed that it received the payment of {you} for an invoice.',
  'mail.event.cancelled.subject': '{actor} cancelled an invoice',
  'mail.event.cancelled.line': '{actor} cancelled an invoice it had sent to {you}.',
  'mail.event.credited.subject': '{actor} credited an invoice',
  'mail.event.credited.line': '{actor} issued a credit note for an invoice it had sent to {you}.',

  'mail.membership.subject': 'Members of {org} changed',
  'mail.membership.line': '{line} ({org}, {time})',
  'mail.open_portal': 'Open the portal',

  'mail.security.passkey_added.subject': 'A passkey was added to your zkinvoice account',
  'mail.security.passkey_added.line': 'A new passkey was added to your account.',
  'mail.security.passkey_removed.subject': 'A passkey was removed from your zkinvoice account',
  'mail.security.passkey_removed.line': 'A passkey was removed from your account.',
  'mail.security.recovery_used.subject': 'Your zkinvoice recovery key was used',
  'mail.security.recovery_used.line': 'Your recovery key was used to register a new passkey, and every other session was signed out.',
  'mail.security.signed_out_everywhere.subject': 'Your zkinvoice account was signed out everywhere',
  'mail.security.signed_out_everywhere.line': 'Every open session of your account was ended.',
  'mail.security.advice': 'If this was not you, sign in, remove passkeys you do not know, and tell your platform administrator.',
  'mail.check_passkeys': 'Check your passkeys',
} as const;

export type MailKey = keyof typeof en;

export const de: Readonly<Record<MailKey, string>> = {
  'mail.greeting': 'Hallo {name},',
  'mail.footer': 'Sie erhalten diese Nachricht, weil Sie ein Konto bei {origin} haben. Welche Benachrichtigungen Sie bekommen, wählen Sie unter Einstellungen: {settings}',
  'mail.some_supplier': 'Ein Lieferant',
  'mail.other_party': 'Die Gegenseite',
  'mail.your_org': 'Ihre Organisation',

  'mail.verify.subject': 'Bestätigen Sie Ihre E-Mail-Adresse für zkinvoice',
  'mail.verify.line': 'bitte bestätigen Sie, dass {email} Ihre Adresse bei {origin} ist. Bis dahin sendet Ihnen das Portal keine Benachrichtigungen.',
  'mail.verify.once': 'Der Link funktioniert einmal und 48 Stunden lang. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese Nachricht.',
  'mail.verify.link': 'Meine Adresse bestätigen',

  'mail.email_changed.subject': 'Die E-Mail-Adresse Ihres zkinvoice-Kontos wurde geändert',
  'mail.email_changed.line': 'die Adresse Ihres Kontos bei {origin} wurde am {time} in {email} geändert.',
  'mail.email_changed.advice': 'Wenn Sie das nicht waren, melden Sie sich an und prüfen Sie Ihre Passkeys, oder bitten Sie Ihre Plattform-Administration um Hilfe.',
  'mail.open_settings': 'Einstellungen öffnen',

  'mail.received.subject': 'Neue Rechnung von {supplier}',
  'mail.received.line': '{supplier} hat {customer} am {time} eine Rechnung gesendet.',
  'mail.received.encrypted': 'Ihr Inhalt ist Ende-zu-Ende-verschlüsselt: Öffnen Sie sie im Portal, um sie zu lesen.',
  'mail.open_invoice': 'Rechnung öffnen',
  'mail.event.at': '{line} ({time})',

  'mail.event.payment_announced.subject': '{actor} hat eine Zahlung angekündigt',
  'mail.event.payment_announced.line': '{actor} hat angekündigt, eine Rechnung von {you} bezahlt zu haben.',
  'mail.event.partially_paid.subject': '{actor} hat eine Teilzahlung angekündigt',
  'mail.event.partially_paid.line': '{actor} hat angekündigt, einen Teil einer Rechnung von {you} bezahlt zu haben.',
  'mail.event.payment_withdrawn.subject': '{actor} hat eine Zahlungsankündigung zurückgezogen',
  'mail.event.payment_withdrawn.line': '{actor} hat die Ankündigung einer Zahlung für eine Rechnung von {you} zurückgezogen.',
  'mail.event.disputed.subject': '{actor} hat eine Rechnung beanstandet',
  'mail.event.disputed.line': '{actor} hat eine Rechnung von {you} beanstandet. Öffnen Sie sie, um die Begründung zu lesen.',
  'mail.event.dispute_withdrawn.subject': '{actor} hat eine Beanstandung zurückgezogen',
  'mail.event.dispute_withdrawn.line': '{actor} hat die Beanstandung einer Rechnung von {you} zurückgezogen.',
  'mail.event.dispute_comment.subject': '{actor} hat eine beanstandete Rechnung kommentiert',
  'mail.event.dispute_comment.line': '{actor} hat eine beanstandete Rechnung zwischen sich und {you} kommentiert.',
  'mail.event.paid.subject': '{actor} hat Ihre Zahlung bestätigt',
  'mail.event.paid.line': '{actor} hat bestätigt, die Zahlung von {you} für eine Rechnung erhalten zu haben.',
  'mail.event.cancelled.subject': '{actor} hat eine Rechnung storniert',
  'mail.event.cancelled.line': '{actor} hat eine Rechnung storniert, die an {you} gesendet worden war.',
  'mail.event.credited.subject': '{actor} hat eine Rechnung gutgeschrieben',
  'mail.event.credited.line': '{actor} hat eine Gutschrift zu einer Rechnung an {you} ausgestellt.',

  'mail.membership.subject': 'Die Mitglieder von {org} haben sich geändert',
  'mail.membership.line': '{line} ({org}, {time})',
  'mail.open_portal': 'Portal öffnen',

  'mail.security.passkey_added.subject': 'Ihrem zkinvoice-Konto wurde ein Passkey hinzugefügt',
  'mail.security.passkey_added.line': 'Ihrem Konto wurde ein neuer Passkey hinzugefügt.',
  'mail.security.passkey_removed.subject': 'Aus Ihrem zkinvoice-Konto wurde ein Passkey entfernt',
  'mail.security.passkey_removed.line': 'Aus Ihrem Konto wurde ein Passkey entfernt.',
  'mail.security.recovery_used.subject': 'Ihr zkinvoice-Wiederherstellungsschlüssel wurde benutzt',
  'mail.security.recovery_used.line': 'Mit Ihrem Wiederherstellungsschlüssel wurde ein neuer Passkey angelegt, und alle anderen Sitzungen wurden abgemeldet.',
  'mail.security.signed_out_everywhere.subject': 'Ihr zkinvoice-Konto wurde überall abgemeldet',
  'mail.security.signed_out_everywhere.line': 'Alle offenen Sitzungen Ihres Kontos wurden beendet.',
  'mail.security.advice': 'Wenn Sie das nicht waren, melden Sie sich an, entfernen Sie Passkeys, die Sie nicht kennen, und informieren Sie Ihre Plattform-Administration.',
  'mail.check_passkeys': 'Passkeys prüfen',
};
