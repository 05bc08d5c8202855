import { AdminActionButton } from './action-button';

/**
 * One admin on/off action (disable/enable an account, suspend/resume an org): POSTs to
 * `${endpoint}/${off ? onAction : offAction}` and refreshes the page on success.
 */
export function StateToggle({ endpoint, off, offAction, onAction, offLabel, onLabel }: {
  endpoint: string;
  /** True while the account is disabled or the org suspended. */
  off: boolean;
  offAction: string;
  onAction: string;
  offLabel: string;
  onLabel: string;
}) {
  return <AdminActionButton url={`${endpoint}/${off ? onAction : offAction}`} method="POST" label={off ? onLabel : offLabel} className={off ? undefined : 'danger'} />;
}
