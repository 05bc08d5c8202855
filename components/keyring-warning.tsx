'use client';

import { useT } from '@/lib/client/i18n';
import { describeKeyringProblem, type KeyringProblem } from '@/lib/client/keyring';
import { RichText } from './rich-text';

/**
 * The blocking warning for an untrustworthy keyring (DESIGN §3.4). It replaces every page that
 * could send, pay or pin, so nothing is done on the strength of a keyring the server rolled back.
 */
export function KeyringWarning({ problem, onRetry }: { problem: KeyringProblem; onRetry(): void }) {
  const t = useT();
  return (
    <section className="alert error stack" role="alert" data-testid="keyring-warning" data-problem={problem.kind} aria-labelledby="keyring-warning-heading">
      <h2 id="keyring-warning-heading">{t(`keyring.title.${problem.kind}`)}</h2>
      <p>{describeKeyringProblem(problem, t)}</p>
      <p><RichText text={t('keyring.until_resolved')} /></p>
      <p><button type="button" className="secondary" onClick={onRetry}>{t('keyring.check_again')}</button></p>
    </section>
  );
}
