'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { ErrorAlert } from '@/components/form-field';
import { orgFingerprint, type UnlockedOrg } from '@/lib/client/account';
import { api, ApiError } from '@/lib/client/api';
import type { DocumentSource } from '@/lib/client/documents';
import { claimAuthFor, ClaimOpenError, openProvisionalOrg, type OpenedProvisionalOrg } from '@/lib/client/claim';
import { useDescribeError, useT } from '@/lib/client/i18n';
import { genesisKeyring, pinOrg } from '@/lib/client/keyring';
import { openInvoice, type OpenedInvoice } from '@/lib/client/open-invoice';
import { fromBase64Url } from '@/lib/crypto/encoding';
import { parseClaimFragment } from '@/lib/crypto/org';
import { importOrgProfileKey } from '@/lib/crypto/org-profile';
import type { MessageKey } from '@/lib/shared/i18n';
import type { InvoiceListDto } from '@/lib/shared/invoice-dto';
import type { ClaimOpenDto } from '@/lib/shared/schemas/claim';
import { ClaimPanel } from './claim-panel';
import { GuestInvoice } from './guest-invoice';

type Refusal = 'bad_link' | 'claim_invalid' | 'claim_expired' | 'claim_revoked' | 'claim_claimed' | 'tampered' | 'supplier_mismatch';
type State =
  | { kind: 'loading' }
  | { kind: 'refused'; reason: Refusal }
  | { kind: 'failed'; error: unknown }
  | { kind: 'code'; wrong: boolean; busy: boolean }
  | { kind: 'open'; org: OpenedProvisionalOrg; invoices: OpenedInvoice[]; claimAuth: string };

const REFUSED: Record<Refusal, { title: MessageKey; text: MessageKey }> = {
  bad_link: { title: 'guest.bad_link_title', text: 'guest.bad_link' },
  claim_invalid: { title: 'guest.bad_link_title', text: 'error.claim_invalid' },
  claim_expired: { title: 'guest.expired_title', text: 'error.claim_expired' },
  claim_revoked: { title: 'guest.revoked_title', text: 'error.claim_revoked' },
  claim_claimed: { title: 'guest.claimed_title', text: 'error.claim_claimed' },
  tampered: { title: 'guest.tampered_title', text: 'guest.tampered' },
  supplier_mismatch: { title: 'guest.tampered_title', text: 'guest.supplier_mismatch' },
};

/**
 * The guest view (DESIGN §11): with the claim secret from the link's fragment (and the access code,
 * if the supplier set one) this browser proves claimAuth, opens the provisional org's keys, checks
 * the supplier's keys against the safety number in the link, and shows the invoices read-only —
 * each verified like any invoice (signature, certificate, key commitment) before anything is shown.
 */
export function ClaimView({ orgId, signedIn }: { orgId: string; signedIn: boolean }) {
  const t = useT();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [fragment] = useState(() => (typeof window === 'undefined' ? null : parseClaimFragment(window.location.hash)));

  const open = useCallback(async (accessCode: string | null) => {
    if (!fragment) return setState({ kind: 'refused', reason: 'bad_link' });
    try {
      const claimAuth = await claimAuthFor(fragment.secret);
      const dto = await api<ClaimOpenDto>(`/api/claims/${orgId}`, { body: { claimAuth } });
      const org = await openProvisionalOrg(dto, fragment.secret, fragment.supplierFingerprint, accessCode);
      const list = await api<InvoiceListDto & { viewerOrgId: string }>(`/api/claims/${orgId}/invoices`, { body: { claimAuth } });
      setState({ kind: 'open', org, invoices: await openAll(org, list), claimAuth });
    } catch (error) {
      if (error instanceof ClaimOpenError) {
        // A link that says no code was set, whose secret the server accepted, yet whose keys do not
        // open: what the server sent is not what the supplier made. Old links (no flag) ask for a code.
        if (error.reason === 'wrong_code' && fragment.accessCode === false) return setState({ kind: 'refused', reason: 'tampered' });
        if (error.reason === 'wrong_code') return setState({ kind: 'code', wrong: accessCode !== null, busy: false });
        return setState({ kind: 'refused', reason: error.reason === 'supplier_mismatch' ? 'supplier_mismatch' : 'tampered' });
      }
      if (error instanceof ApiError && error.reason && error.reason in REFUSED) return setState({ kind: 'refused', reason: error.reason as Refusal });
      setState({ kind: 'failed', error });
    }
  }, [fragment, orgId]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- opening the link is what this page does on arrival
    void open(null);
  }, [open]);

  if (state.kind === 'loading') return <p className="status" role="status">{t('guest.opening')}</p>;
  if (state.kind === 'failed') return <Failed error={state.error} />;
  if (state.kind === 'refused') {
    const { title, text } = REFUSED[state.reason];
    return (
      // Claimed is where a link is meant to end up, not a fault: said calmly, with the way in.
      <div className={state.reason === 'claim_claimed' ? 'alert ok stack' : 'alert error stack'} role={state.reason === 'claim_claimed' ? 'status' : 'alert'} data-testid="claim-refused" data-reason={state.reason}>
        <strong>{t(title)}</strong>
        <p>{t(text)}</p>
        {state.reason === 'claim_claimed' && !signedIn && <p><Link href="/sign-in">{t('guest.sign_in_instead')}</Link></p>}
      </div>
    );
  }
  if (state.kind === 'code') {
    const onSubmit = (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const code = String(new FormData(event.currentTarget).get('accessCode') ?? '').trim();
      if (!code) return;
      setState({ kind: 'code', wrong: false, busy: true });
      void open(code);
    };
    return (
      <form className="panel stack" onSubmit={onSubmit} aria-labelledby="code-heading">
        <h2 id="code-heading">{t('guest.code_heading')}</h2>
        <p>{t('guest.code_needed')}</p>
        {state.wrong && <p className="alert error" role="alert" data-testid="wrong-code">{t('guest.code_wrong')}</p>}
        <label>
          {t('guest.code_label')}
          <input name="accessCode" autoComplete="off" spellCheck={false} required autoFocus />
        </label>
        <div className="row"><button type="submit" disabled={state.busy}>{state.busy ? t('guest.code_checking') : t('guest.code_submit')}</button></div>
      </form>
    );
  }
  return <GuestInvoices org={state.org} invoices={state.invoices} claimAuth={state.claimAuth} signedIn={signedIn} />;
}

function Failed({ error }: { error: unknown }) {
  const describeError = useDescribeError();
  return <ErrorAlert message={describeError(error)} />;
}

/** Each invoice is opened and checked as for a member; the supplier is pinned in memory only, from the link. */
async function openAll(org: OpenedProvisionalOrg, list: InvoiceListDto): Promise<OpenedInvoice[]> {
  const keyring = genesisKeyring();
  const fingerprint = await claimSupplierFingerprint(org);
  pinOrg(keyring, org.supplier, fingerprint);
  const asOrg: UnlockedOrg = {
    orgId: org.orgId, name: org.name, handle: '', role: 'viewer', keyVersion: 1, keys: org.keys, dekWrapKey: org.dekWrapKey, orgSecret: org.orgSecret,
    profileKey: await importOrgProfileKey(org.orgSecret, { orgId: org.orgId, version: 1 }), fingerprint: '',
  };
  return Promise.all(list.invoices.map((invoice) => openInvoice(invoice, list, asOrg, keyring, false)));
}

function claimSupplierFingerprint(org: OpenedProvisionalOrg): Promise<string> {
  return orgFingerprint(org.supplier.orgId, fromBase64Url(org.supplier.signingPublicKey), fromBase64Url(org.supplier.encryptionPublicKey));
}

function showClaimPanel(): void {
  const heading = document.getElementById('claim-heading');
  heading?.setAttribute('tabindex', '-1');
  heading?.scrollIntoView({ block: 'start' });
  heading?.focus();
}

/** Documents come through the claim link's proof (POST, so it is in no URL); they are ciphertext like any other. */
function guestSource(orgId: string, claimAuth: string): DocumentSource {
  return (invoiceId, fileId) => fetch(`/api/claims/${orgId}/invoices/${invoiceId}/files/${fileId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ claimAuth }),
    credentials: 'same-origin',
  });
}

function GuestInvoices({ org, invoices, claimAuth, signedIn }: { org: OpenedProvisionalOrg; invoices: OpenedInvoice[]; claimAuth: string; signedIn: boolean }) {
  const t = useT();
  const source = useMemo(() => guestSource(org.orgId, claimAuth), [org.orgId, claimAuth]);
  return (
    <div className="stack" data-testid="guest-view">
      <p className="muted">{t('guest.intro', { customer: org.name, supplier: org.supplier.name })}</p>
      {/* The panel sits below the documents; a button, not a #fragment link, which would replace the link's secret. */}
      <p><button type="button" className="secondary" onClick={showClaimPanel}>{t('guest.jump_to_claim', { org: org.name })}</button></p>
      {invoices.length === 0 && <p>{t('guest.no_invoices')}</p>}
      {invoices.map((opened) => (opened.header && opened.dek && opened.problems.length === 0
        ? <GuestInvoice key={opened.invoice.id} opened={{ ...opened, header: opened.header, dek: opened.dek }} org={org} claimAuth={claimAuth} source={source} />
        : (
          <div key={opened.invoice.id} className="alert error" role="alert" data-testid="invoice-warning">
            <strong>{t('view.do_not_pay')}</strong> {t('view.failed_checks')}
            <ul>{opened.problems.map((p) => <li key={p}>{t(`problem.${p}`)}</li>)}</ul>
          </div>
        )))}
      <ClaimPanel org={org} claimAuth={claimAuth} signedIn={signedIn} />
    </div>
  );
}
