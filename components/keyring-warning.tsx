'use client';

import { describeKeyringProblem, type KeyringProblem } from '@/lib/client/keyring';

const TITLE: Record<KeyringProblem['kind'], string> = {
  missing: 'Your keyring is missing',
  rollback: 'The server returned an old copy of your keyring',
  fork: 'The server returned a different copy of your keyring',
  unreadable: 'Your keyring could not be opened',
};

/**
 * The blocking warning for an untrustworthy keyring (DESIGN §3.4). It replaces every page that
 * could send, pay or pin, so nothing is done on the strength of a keyring the server rolled back.
 */
export function KeyringWarning({ problem, onRetry }: { problem: KeyringProblem; onRetry(): void }) {
  return (
    <section className="alert error stack" role="alert" data-testid="keyring-warning" data-problem={problem.kind} aria-labelledby="keyring-warning-heading">
      <h2 id="keyring-warning-heading">{TITLE[problem.kind]}</h2>
      <p>{describeKeyringProblem(problem)}</p>
      <p>
        <strong>Until this is resolved, this portal sends nothing, records nothing and shows no payment details.</strong> Do not pay invoices
        from this portal meanwhile. Tell your administrator: the server may have been restored from a backup, or it may be attacked.
      </p>
      <p><button type="button" className="secondary" onClick={onRetry}>Check again</button></p>
    </section>
  );
}
