'use client';

import Link from 'next/link';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ErrorAlert, Progress } from '@/components/form-field';
import { RequireUnlocked } from '@/components/require-unlocked';
import type { UnlockedAccount, UnlockedOrg } from '@/lib/client/account';
import { api } from '@/lib/client/api';
import { fetchKeyBundle } from '@/lib/client/flows';
import { useDescribeError, useFormat, useT } from '@/lib/client/i18n';
import { useKeyring, useKeys } from '@/lib/client/keys-context';
import { unlockAccount } from '@/lib/client/account';
import { buildConfirmation, buildGenesis, buildInvitation, buildRemoval, buildRevokeInvitation, buildRoleChange } from '@/lib/client/org-membership';
import { loadMembership, type MemberRow, type OrgMembership, type PendingRow } from '@/lib/client/org-trust';
import type { MessageKey } from '@/lib/shared/i18n';
import { can, INVITATION_DEFAULT_DAYS, ORG_ROLES, type OrgRole } from '@/lib/shared/roles';
import type { ProvisionalOrgDto } from '@/lib/shared/schemas/claim';
import type { AppendChainRequest } from '@/lib/shared/schemas/org';

export function MembersView() {
  return <RequireUnlocked banner={false}>{(account, org) => <MembersOfOrg account={account} org={org} />}</RequireUnlocked>;
}

const roleKey = (role: OrgRole) => `role.${role}` as MessageKey;

/** Roles the caller may hand out (only an owner makes owners). */
function assignableRoles(myRole: OrgRole | null): OrgRole[] {
  return ORG_ROLES.filter((r) => r !== 'owner' || myRole === 'owner');
}

function MembersOfOrg({ account, org }: { account: UnlockedAccount; org: UnlockedOrg }) {
  const t = useT();
  const describeError = useDescribeError();
  const { setAccount } = useKeys();
  const [membership, setMembership] = useState<OrgMembership | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [invite, setInvite] = useState<{ link: string; role: OrgRole } | null>(null);

  const { current: currentKeyring, updateKeyring } = useKeyring();
  const reload = useCallback(async () => {
    try {
      setMembership(await loadMembership(account, org, { current: currentKeyring, updateKeyring }));
    } catch (err) {
      setError(describeError(err));
    }
  }, [account, org, describeError, currentKeyring, updateKeyring]);

  useEffect(() => {
    let current = true;
    loadMembership(account, org, { current: currentKeyring, updateKeyring }).then((m) => current && setMembership(m), (err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [account, org, describeError, currentKeyring, updateKeyring]);

  // Customers without an account whose links a removed member may have seen (DESIGN §11): a
  // rotation does not change those links, so the removal dialog says so.
  const [openLinks, setOpenLinks] = useState(0);
  useEffect(() => {
    let current = true;
    api<{ customers: ProvisionalOrgDto[] }>(`/api/orgs/${org.orgId}/provisional`).then(
      (r) => current && setOpenLinks(r.customers.filter((c) => c.state === 'open').length),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [org.orgId]);

  /** Sends one signed change; the page is reloaded from the server and verified again after it. */
  async function append(build: () => Promise<AppendChainRequest>, done: (request: AppendChainRequest) => string | null, options: { rekey?: boolean } = {}) {
    if (busy) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const request = await build();
      await api(`/api/orgs/${org.orgId}/chain`, { method: 'POST', body: request });
      setNotice(done(request));
      if (options.rekey) {
        // A rotation: the org's keys changed, so open them again with the account key held in memory.
        setAccount(await unlockAccount(account.accountKey, await fetchKeyBundle()));
      } else {
        await reload();
      }
    } catch (err) {
      setError(describeError(err));
    }
    setBusy(false);
  }

  if (!membership) {
    return (
      <section className="panel">
        {error ? <ErrorAlert message={error} /> : <p className="status" role="status">{t('members.loading')}</p>}
      </section>
    );
  }

  const { state, problems, myRole } = membership;
  const blocked = problems.some((p) => p.blocking);
  const mayManage = !!state && !blocked && can(myRole, 'members.manage');
  const onlyMember = membership.data.members.length === 1 && membership.data.members[0]?.userId === account.userId;

  return (
    <>
      <section className="panel stack" aria-labelledby="members-heading">
        <h2 id="members-heading">{t('members.heading', { org: org.name })}</h2>
        <p className="muted">{t('members.intro')}</p>
        {problems.map((p, i) => (
          <p key={i} className={p.blocking ? 'alert error' : 'alert warn'} role={p.blocking ? 'alert' : 'note'} data-testid={p.blocking ? 'membership-warning' : 'membership-note'}>
            {t(p.key, p.params)}
          </p>
        ))}
        {state && !blocked && <p className="status" data-testid="chain-status">{t('members.chain_ok', { count: membership.data.chain.length, epoch: state.epoch })}</p>}
        {!state && !blocked && myRole === 'owner' && onlyMember && (
          <div className="row">
            <button type="button" disabled={busy} onClick={() => append(() => buildGenesis(account, org), () => null)}>{t('members.chain_start')}</button>
            <span className="muted">{t('members.chain_start_hint')}</span>
          </div>
        )}
        <p className="muted">
          {myRole && t('members.your_role', { role: t(roleKey(myRole)) })} {!can(myRole, 'members.manage') && t('members.read_only')}
        </p>
        <ErrorAlert message={error} />
        {busy && <Progress step={t('members.working')} />}
        {notice && <p className="alert ok" role="status" data-testid="members-notice">{notice}</p>}
        <MemberTable
          rows={membership.members}
          me={account.userId}
          myRole={myRole}
          openLinks={openLinks}
          mayManage={mayManage && !busy}
          onRole={(member, role) => append(() => buildRoleChange(account, org, state!, member.userId, role), () => t('members.role_changed', { name: member.displayName, role: t(roleKey(role)) }))}
          onRemove={(member) => append(() => buildRemoval(account, org, state!, member.userId), (r) => t('members.removed', { name: member.displayName, epoch: r.grants[0]?.epoch ?? state!.epoch + 1 }), { rekey: true })}
        />
      </section>

      <PendingSection
        rows={membership.pending}
        onRefresh={() => void reload()}
        mayManage={mayManage && !busy}
        onConfirm={(row) => append(() => buildConfirmation(account, org, state!, row.pending), () => t('members.confirmed', { name: row.pending.displayName }))}
      />

      {mayManage && (
        <InviteSection
          org={org}
          myRole={myRole}
          busy={busy}
          invite={invite}
          onInvite={(role, days) => {
            // The previous link goes at once, so nobody copies it thinking it is the new one.
            setInvite(null);
            let path = '';
            return append(
              async () => {
                const made = await buildInvitation(account, state!, role, days);
                path = made.path;
                return made.request;
              },
              () => {
                // Shown once, only after the server stored the invitation; the secret stays in the fragment.
                setInvite({ link: `${window.location.origin}${path}`, role });
                return null;
              },
            );
          }}
        />
      )}

      <section className="panel stack" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">{t('members.invitations_heading')}</h2>
        {membership.data.invitations.length === 0 ? (
          <p className="muted">{t('members.invitations_none')}</p>
        ) : (
          <ul className="stack" data-testid="open-invitations">
            {membership.data.invitations.map((i) => (
              <li key={i.inviteId} className="row">
                <span>{t('members.invitation_row', { role: t(roleKey(i.role)), name: i.createdByName, expires: new Date(i.expiresAt).toLocaleDateString() })}</span>
                {mayManage && (
                  <button type="button" className="secondary small" disabled={busy} onClick={() => append(() => buildRevokeInvitation(account, state!, i.inviteId), () => t('members.revoked'))}>
                    {t('members.revoke')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function MemberTable({ rows, me, myRole, openLinks, mayManage, onRole, onRemove }: { rows: MemberRow[]; me: string; myRole: OrgRole | null; openLinks: number; mayManage: boolean; onRole(member: MemberRow, role: OrgRole): void; onRemove(member: MemberRow): void }) {
  const t = useT();
  const format = useFormat();
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  return (
    <>
      <div className="table-scroll">
        <table className="cards" data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">{t('members.col_name')}</th>
              <th scope="col">{t('members.col_role')}</th>
              <th scope="col">{t('members.col_safety')}</th>
              <th scope="col">{t('members.col_joined')}</th>
              {mayManage && <th scope="col">{t('members.col_actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => {
              const mayTouch = mayManage && m.userId !== me && (m.role !== 'owner' || myRole === 'owner');
              return (
                <tr key={m.userId} data-testid="member-row">
                  <td className="member-name">
                    <span>
                      <strong>{m.displayName}</strong> {m.userId === me && <span className="muted">{t('members.you')}</span>}
                      <br />
                      <span className="muted">{m.email}</span>
                    </span>
                  </td>
                  <td className="nowrap" data-label={t('members.col_role')}>{t(roleKey(m.role))}</td>
                  <td data-label={t('members.col_safety')}><span className="fingerprint">{m.safetyNumber}</span></td>
                  <td className="nowrap" data-label={t('members.col_joined')}>{m.joinedAt ? format.date(m.joinedAt) : ''}</td>
                  {mayManage && (
                    <td data-label={t('members.col_actions')}>
                      {mayTouch && (
                        <div className="row">
                          <RoleChanger member={m} roles={assignableRoles(myRole)} onRole={onRole} />
                          <button type="button" className="secondary small danger" onClick={() => setRemoving(m)}>{t('members.remove')}</button>
                        </div>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {removing && (
        <div className="alert warn stack" role="alertdialog" aria-labelledby="remove-title" aria-describedby="remove-text" data-testid="remove-dialog">
          <strong id="remove-title">{t('members.remove_confirm_title', { name: removing.displayName })}</strong>
          <p id="remove-text">{t('members.remove_confirm_text', { name: removing.displayName })}</p>
          {openLinks > 0 && (
            <p data-testid="remove-claim-links">
              {t('members.remove_claim_links', { name: removing.displayName, count: openLinks })} <Link href="/customers">{t('customers.title')}</Link>
            </p>
          )}
          <div className="row">
            <button type="button" className="danger" onClick={() => { const m = removing; setRemoving(null); onRemove(m); }}>{t('members.remove_yes')}</button>
            <button type="button" className="secondary" onClick={() => setRemoving(null)}>{t('members.cancel')}</button>
          </div>
        </div>
      )}
    </>
  );
}

function RoleChanger({ member, roles, onRole }: { member: MemberRow; roles: OrgRole[]; onRole(member: MemberRow, role: OrgRole): void }) {
  const t = useT();
  const id = useId();
  const [role, setRole] = useState<OrgRole>(member.role);
  return (
    <span className="row compact">
      <label htmlFor={id} className="visually-hidden">{t('members.change_role', { name: member.displayName })}</label>
      <select id={id} value={role} onChange={(e) => setRole(e.target.value as OrgRole)}>
        {roles.map((r) => <option key={r} value={r}>{t(roleKey(r))}</option>)}
      </select>
      <button type="button" className="secondary small" disabled={role === member.role} onClick={() => onRole(member, role)}>{t('members.save_role')}</button>
    </span>
  );
}

function PendingSection({ rows, mayManage, onConfirm, onRefresh }: { rows: PendingRow[]; mayManage: boolean; onConfirm(row: PendingRow): void; onRefresh(): void }) {
  const t = useT();
  return (
    <section className="panel stack" aria-labelledby="pending-heading">
      <div className="row spread">
        <h2 id="pending-heading">{t('members.pending_heading')}</h2>
        <button type="button" className="secondary small" onClick={onRefresh}>{t('members.refresh')}</button>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{t('members.pending_none')}</p>
      ) : (
        <>
          <p className="muted">{t('members.pending_intro')}</p>
          <ul className="stack plain">
            {rows.map((row) => (
              <li key={row.pending.acceptance.inviteId} className="stack" data-testid="pending-acceptance">
                <span>{t('members.pending_row', { name: row.pending.displayName, email: row.pending.email, role: row.role ? t(roleKey(row.role)) : '?' })}</span>
                <span>
                  {t('members.col_safety')}: <span className="fingerprint" data-testid="pending-safety-number">{row.safetyNumber}</span>
                </span>
                {row.verdict.ok ? (
                  mayManage && (
                    <div className="row">
                      <button type="button" onClick={() => onConfirm(row)}>{t('members.confirm', { name: row.pending.displayName })}</button>
                    </div>
                  )
                ) : (
                  <p className="alert error" role="alert" data-testid="acceptance-refused">{t('members.pending_invalid', { reason: t(row.verdict.reason) })}</p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function InviteSection({ org, myRole, busy, invite, onInvite }: { org: UnlockedOrg; myRole: OrgRole | null; busy: boolean; invite: { link: string; role: OrgRole } | null; onInvite(role: OrgRole, days: number): void }) {
  const t = useT();
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = Math.min(30, Math.max(1, Number(form.get('days')) || INVITATION_DEFAULT_DAYS));
    setCopied('idle');
    onInvite(String(form.get('role')) as OrgRole, days);
  }
  async function copy(link: string) {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  }
  const mailto = invite && `mailto:?subject=${encodeURIComponent(t('members.invite_mail_subject', { org: org.name }))}&body=${encodeURIComponent(t('members.invite_mail_body', { org: org.name, link: invite.link }))}`;
  return (
    <section className="panel stack" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('members.invite_heading')}</h2>
      <p className="muted">{t('members.invite_intro')}</p>
      <form className="row align-end" onSubmit={onSubmit}>
        <label>
          {t('members.invite_role')}
          <select name="role" defaultValue="member">
            {assignableRoles(myRole).map((r) => <option key={r} value={r}>{`${t(roleKey(r))} — ${t(`role.${r}_hint` as MessageKey)}`}</option>)}
          </select>
        </label>
        <label>
          {t('members.invite_days')}
          <input name="days" type="number" min={1} max={30} defaultValue={INVITATION_DEFAULT_DAYS} inputMode="numeric" className="short" />
        </label>
        <button type="submit" disabled={busy}>{t('members.invite_submit')}</button>
      </form>
      {invite && (
        <div className="stack" data-testid="invitation-link">
          <label htmlFor="invitation-link-text">{t('members.invite_link', { role: t(roleKey(invite.role)) })}</label>
          <input id="invitation-link-text" readOnly value={invite.link} className="link-text" onFocus={(e) => e.currentTarget.select()} />
          <p className="muted">{t('members.invite_link_hint')}</p>
          <div className="row">
            <button type="button" className="secondary" onClick={() => copy(invite.link)}>{t('members.copy')}</button>
            <a className="button secondary" href={mailto!}>{t('members.invite_mail')}</a>
            <span role="status" aria-live="polite" className="copy-status">{copied === 'copied' ? t('members.copied') : copied === 'failed' ? t('members.copy_failed') : ''}</span>
          </div>
        </div>
      )}
    </section>
  );
}
