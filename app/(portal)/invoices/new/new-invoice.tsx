'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ErrorAlert, FormField } from '@/components/form-field';
import { UnlessMembershipBlocked } from '@/components/membership-banner';
import { RichText } from '@/components/rich-text';
import { RequireUnlocked } from '@/components/require-unlocked';
import type { UnlockedAccount, UnlockedOrg } from '@/lib/client/account';
import { api, ApiError } from '@/lib/client/api';
import { useDescribeError, useFormat, useT } from '@/lib/client/i18n';
import { issueMessage } from '@/lib/shared/i18n/errors';
import { decimalSeparator } from '@/lib/shared/i18n/parse';
import { onLeaveGuardEntry, useLeavePrompt } from '@/lib/client/use-leave-prompt';
import { parseAmount } from '@/lib/shared/i18n/parse';
import { can } from '@/lib/shared/roles';
import { checkDocument, describeDocumentProblem } from '@/lib/client/document-checks';
import { findEarlierInvoices, sameInvoiceNumber, type EarlierInvoice } from '@/lib/client/repeated-number';
import { abandonUpload, sendInvoice, startUpload, type OutgoingDocument, type SendProgress, type UploadState } from '@/lib/client/send-invoice';
import { invoiceHeaderSchema, type InvoiceHeader } from '@/lib/shared/schemas/invoice';
import { useKeyring } from '@/lib/client/keys-context';
import { loadCreditSource, type CreditSource } from './credit-source';
import { DocumentsPicker } from './documents-picker';
import { RecipientPicker, type Recipient } from './recipient-picker';
import { RepeatedNumberWarning } from './repeated-number-warning';
import { fillForm, formValuesFromEInvoice, headerFacts, invoiceFormFromData } from './einvoice-fill';
import { EInvoiceIntake, MismatchConfirm } from './einvoice-intake';
import { LineItems } from './line-items';
import { useEInvoiceReadings } from './use-einvoice-readings';
import { XRechnungDetails } from './xrechnung-details';
import { ValidationReport } from '@/components/einvoice-view';
import type { EInvoiceReading } from '@/lib/client/einvoice';
import { crossCheck, type Difference } from '@/lib/einvoice/cross-check';
import { sentBuyerIdentifiers } from '@/lib/einvoice/buyer';
import { knowsBuyerIds, rememberBuyerIds } from '@/lib/client/customer-ids';
import { computeTotals, invoiceFromForm, lineProblem, type FormLine } from '@/lib/einvoice/form';
import { generateEInvoice } from '@/lib/einvoice/generate';
import type { Finding } from '@/lib/einvoice/model';
import { fatalFindings, validate } from '@/lib/einvoice/rules';
import { DEFAULT_PAYMENT_TERMS_DAYS, initialValues, useOrgProfile, type InitialValues } from './form-defaults';
import { dueDateFor } from '@/lib/client/org-profile';

/** A new invoice, or with `creditFor` a credit note for that invoice, prefilled from it. */
export function NewInvoice({ creditFor }: { creditFor?: string }) {
  return (
    <RequireUnlocked>
      {(account, org) =>
        !can(org.role, 'invoice.send') ? (
          <CannotSend org={org} />
        ) : (
          <UnlessMembershipBlocked account={account} org={org}>
            {creditFor ? <CreditNoteForm account={account} org={org} invoiceId={creditFor} /> : <ProfiledForm account={account} org={org} />}
          </UnlessMembershipBlocked>
        )
      }
    </RequireUnlocked>
  );
}

/** A viewer's role cannot send (the server refuses it too): say so instead of showing a form. */
function CannotSend({ org }: { org: UnlockedOrg }) {
  const t = useT();
  return <p className="alert warn" role="note" data-testid="cannot-send">{t('role.cannot_send', { org: org.name, role: t(`role.${org.role}`) })}</p>;
}

/** A plain new invoice starts from the organization profile (Settings). */
function ProfiledForm({ account, org }: { account: UnlockedAccount; org: UnlockedOrg }) {
  const t = useT();
  const { ready, profile, problem } = useOrgProfile(org);
  if (!ready) return <p className="status" role="status">{t('new.loading_profile')}</p>;
  return (
    <>
      {problem && <p className="alert warn" role="note" data-testid="profile-problem">{t(`new.profile.${problem}`)}</p>}
      <NewInvoiceForm account={account} org={org} initial={initialValues(org, profile)} termsDays={profile?.paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS} />
    </>
  );
}

function CreditNoteForm({ account, org, invoiceId }: { account: UnlockedAccount; org: UnlockedOrg; invoiceId: string }) {
  const describeError = useDescribeError();
  const t = useT();
  const [source, setSource] = useState<CreditSource | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { current: currentKeyring, updateKeyring } = useKeyring();
  useEffect(() => {
    let current = true;
    loadCreditSource(org, invoiceId, currentKeyring(), updateKeyring).then((s) => current && setSource(s), (err: unknown) => current && setError(describeError(err)));
    return () => {
      current = false;
    };
  }, [describeError, org, invoiceId, currentKeyring, updateKeyring]);
  if (error) return <ErrorAlert message={error} />;
  if (!source) return <p className="status" role="status">{t('new.loading_credit')}</p>;
  return <NewInvoiceForm account={account} org={org} creditSource={source} initial={initialValues(org, null, source.original)} termsDays={DEFAULT_PAYMENT_TERMS_DAYS} />;
}

function readHeader(form: FormData, original: InvoiceHeader | undefined, originalId: string | undefined, tag: string): unknown {
  const get = (name: string) => String(form.get(name) ?? '');
  // Amounts as the reader types them ("1.250,00" in German); what cannot be read goes to the schema as typed, which says why.
  const amount = (name: string) => parseAmount(get(name), tag) ?? get(name);
  return {
    v: 1,
    type: original ? 'credit-note' : 'invoice',
    ...(original && originalId ? { creditFor: { invoiceId: originalId, number: original.number } } : {}),
    number: get('number'),
    issueDate: get('issueDate'),
    dueDate: get('dueDate'),
    currency: get('currency').trim().toUpperCase(),
    amounts: { net: amount('net'), tax: amount('tax'), gross: amount('gross'), payable: amount('payable') },
    seller: { name: get('sellerName'), vatId: get('sellerVatId') },
    buyer: { name: get('buyerName'), vatId: get('buyerVatId') },
    payment: { payeeName: get('payeeName'), iban: get('iban'), bic: get('bic'), reference: get('reference'), url: get('paymentUrl').trim() },
    notes: get('notes'),
    documents: [],
  };
}

interface PendingUpload {
  state: UploadState;
  header: Omit<InvoiceHeader, 'documents'>;
  documents: OutgoingDocument[];
}

function NewInvoiceForm({ account, org, creditSource, initial, termsDays }: { account: UnlockedAccount; org: UnlockedOrg; creditSource?: CreditSource; initial: InitialValues; termsDays: number }) {
  const describeError = useDescribeError();
  const t = useT();
  const format = useFormat();
  const router = useRouter();
  const { current: currentKeyring, updateKeyring } = useKeyring();
  const [recipient, setRecipient] = useState<Recipient | null>(creditSource?.recipient ?? null);
  const original = creditSource?.original;
  const [documents, setDocuments] = useState<OutgoingDocument[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<SendProgress | null>(null);
  const [sending, setSending] = useState(false);
  const [checking, setChecking] = useState(false);
  const [maxBytes, setMaxBytes] = useState<number | null>(null);
  const [pending, setPending] = useState<PendingUpload | null>(null);
  // The due date follows the issue date by the payment terms until the user sets it.
  const [dates, setDates] = useState({ issueDate: initial.issueDate, dueDate: initial.dueDate, dueTouched: false });
  const [repeat, setRepeat] = useState<{ number: string; earlier: EarlierInvoice[] } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const form = useRef<HTMLFormElement>(null);
  // Set synchronously on the first click, before any await: a second click or Enter, however
  // soon, finds it set and does nothing, whatever React has rendered yet.
  const busyRef = useRef(false);
  // The number the user chose to send again despite the warning.
  const confirmedRepeat = useRef<string | null>(null);
  const [lines, setLines] = useState<FormLine[]>([]);
  const [generatedFindings, setGeneratedFindings] = useState<Finding[]>([]);
  const [mismatch, setMismatch] = useState<{ differences: Difference[]; confirmed: ReadonlySet<number> } | null>(null);
  // The exact differences the user confirmed one by one; any other set asks again.
  const confirmedMismatches = useRef<string | null>(null);
  // Fields the supplier typed in keep their value when a dropped e-invoice fills the rest.
  const edited = useRef(new Set<string>());
  const fill = useCallback((reading: EInvoiceReading, overwrite: boolean) => {
    if (!reading.ok || !form.current) return;
    const values = Object.fromEntries(Object.entries(formValuesFromEInvoice(reading.invoice)).filter(([name]) => overwrite || !edited.current.has(name)));
    // The dates are controlled (the due date follows the payment terms), so they go through state.
    const { issueDate, dueDate, ...rest } = values;
    fillForm(form.current, rest);
    if (issueDate || dueDate) {
      setDates((d) => {
        const issue = issueDate ?? d.issueDate;
        if (dueDate) return { issueDate: issue, dueDate, dueTouched: true };
        return { ...d, issueDate: issue, dueDate: d.dueTouched ? d.dueDate : dueDateFor(issue, termsDays) || d.dueDate };
      });
    }
  }, [termsDays]);
  const onFirstRead = useCallback((_file: File, reading: EInvoiceReading) => fill(reading, false), [fill]);
  const { readings, settled } = useEInvoiceReadings(documents, onFirstRead);

  // Line items own the amounts: exact totals written into the (then read-only) amount fields.
  useEffect(() => {
    if (lines.length === 0 || !form.current) return;
    const totals = computeTotals(lines);
    const local = (value: string) => value.replace('.', decimalSeparator(t.tag));
    fillForm(form.current, { net: local(totals.net), tax: local(totals.tax), gross: local(totals.gross), payable: local(totals.gross) });
  }, [lines, t]);

  useEffect(() => {
    let current = true;
    api<{ maxDocumentBytes: number }>('/api/config').then((c) => current && setMaxBytes(c.maxDocumentBytes)).catch(() => {});
    return () => {
      current = false;
    };
  }, []);

  /** Runs one send step at a time; `task` answers true once the invoice is delivered (the page then leaves). */
  async function exclusive(task: () => Promise<boolean>): Promise<void> {
    if (busyRef.current) return;
    busyRef.current = true;
    setSending(true);
    let delivered = false;
    try {
      delivered = await task();
    } finally {
      if (!delivered) {
        busyRef.current = false;
        setSending(false);
      }
    }
  }

  async function run(pending: PendingUpload): Promise<boolean> {
    if (!recipient) return false;
    abort.current = new AbortController();
    setError(null);
    try {
      const { invoiceId } = await sendInvoice({ account, supplier: org, customer: recipient.org, header: pending.header, documents: pending.documents, state: pending.state, signal: abort.current.signal, onProgress: setProgress, credit: creditSource?.credit });
      setPending(null);
      // Bulk sending finds this customer next time by what this invoice called its buyer.
      const ids = sentBuyerIdentifiers(pending.header.buyer.vatId, pending.documents.flatMap((d) => { const r = readings.get(d.file); return r?.ok ? [r.invoice] : []; }));
      if (ids.length > 0 && !knowsBuyerIds(currentKeyring(), recipient.org.orgId, ids)) void updateKeyring(rememberBuyerIds(recipient.org.orgId, ids)).catch(() => {});
      // The invoice takes the place of the leave prompt's Back guard: the history is as it would have been without it.
      if (onLeaveGuardEntry()) router.replace(`/invoices/${invoiceId}`);
      else router.push(`/invoices/${invoiceId}`);
      return true;
    } catch (err) {
      // Keys that rotated meanwhile cannot be sealed to by retrying with what this page holds: the
      // message says to reload (which unlocks the new keys) and send again; anything else resumes.
      const rotated = err instanceof ApiError && err.reason === 'org_keys_changed';
      setError(abort.current.signal.aborted ? t('new.cancelled') : rotated ? describeError(err) : `${describeError(err)} ${t('new.retryable')}`);
      // A retry of this upload would be refused the same way, so none is offered: its parts go.
      if (rotated) {
        void abandonUpload(pending.state);
        setPending(null);
        setProgress(null);
      }
      return false;
    }
  }

  async function prepareAndSend(data: FormData): Promise<boolean> {
    setError(null);
    if (!recipient) {
      setError(t('new.choose_recipient'));
      return false;
    }
    const parsed = invoiceHeaderSchema.safeParse(readHeader(data, original, creditSource?.credit.invoiceId, t.tag));
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), issueMessage(t, i.message)])));
      setError(t('new.correct_fields'));
      return false;
    }
    setFieldErrors({});
    setGeneratedFindings([]);
    // With line items, an XRechnung is generated from the form and attached (issue #12).
    let outgoing = documents;
    if (lines.length > 0) {
      const problem = lines.map((l, i) => ({ i, p: lineProblem(l) })).find((x) => x.p !== null);
      if (problem) {
        setError(t('new.line_problem', { n: problem.i + 1, problem: t(problem.p!.key, problem.p!.params) }));
        return false;
      }
      const model = invoiceFromForm(invoiceFormFromData(data, lines, Boolean(original), original?.number ?? ''));
      const findings = validate(model);
      if (fatalFindings(findings).length > 0) {
        setGeneratedFindings(findings);
        setError(t('new.generated_invalid'));
        return false;
      }
      const syntax = data.get('xSyntax') === 'UBL' ? 'UBL' : 'CII';
      const xml = generateEInvoice({ ...model, syntax }, syntax);
      const name = `xrechnung-${parsed.data.number.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}.xml`;
      outgoing = [...documents, { file: new File([xml], name, { type: 'application/xml' }), role: 'einvoice-xml' }];
    }
    const refused = (await Promise.all(outgoing.map(async (d) => ({ name: d.file.name, problem: await checkDocument(d.file, d.role, maxBytes) })))).filter((d) => d.problem);
    if (refused.length > 0) {
      setError(refused.map((d) => t('new.document_refused', { name: d.name, reason: describeDocumentProblem(d.problem!, t) })).join(' '));
      return false;
    }
    const { documents: _attached, ...signed } = parsed.data;
    // Every attached e-invoice is compared with what is about to be signed (DESIGN §13); each
    // difference needs the supplier's confirmation and travels, signed, in the header.
    const differences = [...(await settled()).entries()].flatMap(([file, reading]) => (reading.ok ? crossCheck(headerFacts(signed), reading.invoice, file.name) : []));
    if (differences.length > 0 && confirmedMismatches.current !== JSON.stringify(differences)) {
      setMismatch({ differences, confirmed: new Set() });
      return false;
    }
    setMismatch(null);
    const header = differences.length > 0 ? { ...signed, einvoiceMismatches: differences } : signed;
    if (confirmedRepeat.current === null || !sameInvoiceNumber(confirmedRepeat.current, header.number)) {
      setChecking(true);
      try {
        const earlier = await findEarlierInvoices(currentKeyring(), org, recipient.org.orgId, header.number, header.type);
        if (earlier.length > 0) {
          setRepeat({ number: header.number, earlier });
          return false;
        }
      } catch (err) {
        setError(`${t('new.repeat_check_failed')} ${describeError(err)}`);
        return false;
      } finally {
        setChecking(false);
      }
    }
    setRepeat(null);
    let next: PendingUpload;
    try {
      next = { state: await startUpload(org, recipient.org, outgoing), header, documents: outgoing };
    } catch (err) {
      setError(describeError(err));
      return false;
    }
    setPending(next);
    return run(next);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Read before anything renders: a disabled fieldset's fields are left out of FormData.
    const data = new FormData(event.currentTarget);
    void exclusive(() => prepareAndSend(data));
  }

  function onSendAgain() {
    if (!repeat) return;
    confirmedRepeat.current = repeat.number;
    form.current?.requestSubmit();
  }

  function onSendWithDifferences() {
    if (!mismatch) return;
    confirmedMismatches.current = JSON.stringify(mismatch.differences);
    form.current?.requestSubmit();
  }

  function onChangeNumber() {
    setRepeat(null);
    form.current?.querySelector<HTMLInputElement>('input[name="number"]')?.focus();
  }

  async function onCancel() {
    abort.current?.abort();
    if (pending) await abandonUpload(pending.state);
    setPending(null);
    setProgress(null);
  }

  const f = (name: string) => fieldErrors[name];
  const amountExample = (value: string) => value.replace('.', decimalSeparator(t.tag));
  const busy = sending;
  // Leaving now would stop the upload (or drop the one waiting for a retry) and lose the form.
  useLeavePrompt(sending || pending !== null, t('send.leave_prompt'));
  return (
    <>
      {creditSource ? (
        <div className="alert ok" role="status" data-testid="recipient">
          <RichText text={t('new.credit_banner', { number: original?.number ?? '', customer: creditSource.recipient.org.name })} />{' '}
          <span className="fingerprint">{creditSource.recipient.fingerprint}</span>. {t('new.credit_banner_end')}
        </div>
      ) : (
        <RecipientPicker ownOrgId={org.orgId} onChange={setRecipient} />
      )}
      <form
        ref={form}
        className="stack"
        onSubmit={onSubmit}
        onInput={(e) => {
          const name = (e.target as HTMLInputElement).name;
          if (name) edited.current.add(name);
        }}
        noValidate
        aria-label={t('new.form_label')}
      >
        <fieldset className="grid" disabled={busy}>
          <legend>{original ? t('new.legend_credit') : t('new.legend_invoice')}</legend>
          <FormField label={original ? t('new.number_credit') : t('new.number')} name="number" defaultValue={initial.number} required error={f('number')} />
          <FormField label={t('new.issue_date')} name="issueDate" type="date" value={dates.issueDate} required error={f('issueDate')}
            onChange={(e) => { const issueDate = e.target.value; setDates((d) => ({ ...d, issueDate, dueDate: d.dueTouched ? d.dueDate : dueDateFor(issueDate, termsDays) || d.dueDate })); }} />
          <FormField label={t('new.due_date')} name="dueDate" type="date" value={dates.dueDate} required error={f('dueDate')}
            onChange={(e) => { const dueDate = e.target.value; setDates((d) => ({ ...d, dueDate, dueTouched: true })); }} />
          <FormField label={t('new.currency')} name="currency" defaultValue={initial.currency} maxLength={3} required error={f('currency')} />
          {!dates.dueTouched && !original && <p className="muted" data-testid="terms-note">{t('new.terms_hint', { days: termsDays })}</p>}
        </fieldset>
        <fieldset className="grid" disabled={busy}>
          <legend>{t('new.legend_amounts')}</legend>
          <FormField label={t('new.net')} name="net" readOnly={lines.length > 0} inputMode="decimal" placeholder={amountExample('1000.00')} defaultValue={initial.net} required error={f('amounts.net')} />
          <FormField label={t('new.tax')} name="tax" readOnly={lines.length > 0} inputMode="decimal" placeholder={amountExample('190.00')} defaultValue={initial.tax} required error={f('amounts.tax')} />
          <FormField label={t('new.gross')} name="gross" readOnly={lines.length > 0} inputMode="decimal" placeholder={amountExample('1190.00')} defaultValue={initial.gross} required error={f('amounts.gross')} />
          <FormField label={t('new.payable')} name="payable" readOnly={lines.length > 0} inputMode="decimal" placeholder={amountExample('1190.00')} defaultValue={initial.payable} required error={f('amounts.payable')} />
        </fieldset>
        <fieldset className="grid" disabled={busy}>
          <legend>{t('new.legend_parties')}</legend>
          <FormField label={t('new.seller_name')} name="sellerName" defaultValue={initial.sellerName} required error={f('seller.name')} />
          <FormField label={t('new.seller_vat')} name="sellerVatId" defaultValue={initial.sellerVatId} error={f('seller.vatId')} />
          <FormField label={t('new.buyer_name')} name="buyerName" defaultValue={initial.buyerName || recipient?.org.name || ''} key={recipient?.org.orgId ?? 'none'} required error={f('buyer.name')} />
          <FormField label={t('new.buyer_vat')} name="buyerVatId" defaultValue={initial.buyerVatId} error={f('buyer.vatId')} />
        </fieldset>
        <fieldset className="grid" disabled={busy}>
          <legend>{t('new.legend_payment')}</legend>
          <FormField label={t('new.payee_name')} name="payeeName" defaultValue={initial.payeeName} required error={f('payment.payeeName')} />
          <FormField label={t('new.iban')} name="iban" autoComplete="off" spellCheck={false} defaultValue={initial.iban} required error={f('payment.iban')} />
          <FormField label={t('new.bic')} name="bic" autoComplete="off" spellCheck={false} defaultValue={initial.bic} error={f('payment.bic')} />
          <FormField label={t('new.reference')} name="reference" defaultValue={initial.reference} error={f('payment.reference')} />
          <FormField label={t('new.payment_url')} name="paymentUrl" type="url" placeholder="https://" defaultValue={initial.paymentUrl} error={f('payment.url')} />
        </fieldset>
        <label>
          {t('new.notes')}
          <textarea name="notes" maxLength={2000} disabled={busy} defaultValue={initial.notes} />
        </label>
        <LineItems lines={lines} onChange={setLines} disabled={busy} />
        {lines.length > 0 && <XRechnungDetails disabled={busy} />}
        {generatedFindings.length > 0 && <ValidationReport findings={generatedFindings} />}
        <DocumentsPicker
          documents={documents}
          onChange={(docs) => {
            setMismatch(null);
            setDocuments(docs);
          }}
          maxBytes={maxBytes}
          disabled={busy || pending !== null}
        />
        <EInvoiceIntake documents={documents} readings={readings} onFill={(_file, reading) => fill(reading, true)} />
        {progress && (
          <section className="panel stack" aria-label={t('new.progress_label')}>
            {progress.documents.map((d) => (
              <label key={d.name}>
                {t('new.progress_document', { name: d.name, sent: format.bytes(d.sent), total: format.bytes(d.total) })}
                <progress max={Math.max(d.total, 1)} value={d.total === 0 && progress.stage !== 'encrypting' ? 1 : d.sent} aria-label={t('new.progress_of', { name: d.name })} />
              </label>
            ))}
            <p className="status" role="status">{progress.stage === 'committing' ? t('new.stage.committing') : progress.stage === 'done' ? t('new.stage.done') : t('new.stage.uploading')}</p>
          </section>
        )}
        {checking && <p className="status" role="status">{t('new.checking_number')}</p>}
        {repeat && recipient && <RepeatedNumberWarning number={repeat.number} earlier={repeat.earlier} customer={recipient.org.name} onSendAgain={onSendAgain} onChangeNumber={onChangeNumber} />}
        {mismatch && !pending && (
          <MismatchConfirm
            differences={mismatch.differences}
            confirmed={mismatch.confirmed}
            onToggle={(index, on) => setMismatch((m) => m && { ...m, confirmed: new Set([...m.confirmed].filter((i) => i !== index).concat(on ? [index] : [])) })}
            onCancel={() => setMismatch(null)}
            onSend={onSendWithDifferences}
          />
        )}
        <ErrorAlert message={error} />
        <div className="row">
          {!pending && <button type="submit" disabled={busy || !recipient}>{original ? t('new.send_credit') : t('new.send')}</button>}
          {pending && !sending && <button type="button" onClick={() => void exclusive(() => run(pending))}>{t('new.retry')}</button>}
          {pending && <button type="button" className="danger" onClick={onCancel}>{t('new.cancel')}</button>}
        </div>
      </form>
    </>
  );
}
