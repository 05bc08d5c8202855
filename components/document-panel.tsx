'use client';

import { useCallback, useEffect, useState } from 'react';
import { PdfPreview } from '@/components/pdf-preview';
import { decryptDocumentOnce, saveBlob, type DocumentSource } from '@/lib/client/documents';
import { useFormat, useT } from '@/lib/client/i18n';
import type { InvoiceDocument } from '@/lib/shared/schemas/invoice';

const WIDE_SCREEN = '(min-width: 700px)';

function isPdf(doc: InvoiceDocument): boolean {
  return doc.mediaType === 'application/pdf' || doc.name.toLowerCase().endsWith('.pdf');
}
function isXml(doc: InvoiceDocument): boolean {
  return doc.mediaType.includes('xml') || doc.name.toLowerCase().endsWith('.xml');
}

/**
 * One document: decrypted on demand (the invoice PDF and XML at once), previewed in the page and
 * downloadable byte for byte. A document that fails decryption is never shown, only the warning.
 * `source`: where the ciphertext comes from when not from a member's session (the guest view).
 */
export function DocumentPanel({ invoiceId, dek, document, source }: { invoiceId: string; dek: Uint8Array; document: InvoiceDocument; source?: DocumentSource }) {
  const t = useT();
  const format = useFormat();
  const [blob, setBlob] = useState<Blob | null>(null);
  const [xml, setXml] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  // Previews open by themselves only on wide screens; on a phone a two-page PDF is a long scroll.
  const [wide] = useState(() => window.matchMedia(WIDE_SCREEN).matches);

  const load = useCallback(async (): Promise<Blob | null> => {
    setProgress(0);
    try {
      const decrypted = await decryptDocumentOnce(invoiceId, document.fileId, dek, document.mediaType, setProgress, source);
      if (decrypted.size !== document.size) throw new Error('size mismatch');
      setBlob(decrypted);
      if (isXml(document)) setXml(await decrypted.text());
      return decrypted;
    } catch {
      setFailed(true);
      return null;
    } finally {
      setProgress(null);
    }
  }, [invoiceId, dek, document, source]);

  useEffect(() => {
    if (document.role === 'attachment' || !(isPdf(document) || isXml(document))) return;
    let current = true;
    queueMicrotask(() => current && void load());
    return () => {
      current = false;
    };
  }, [document, load]);

  async function onDownload() {
    const file = blob ?? (await load());
    if (file) saveBlob(file, document.name);
  }

  return (
    <article className="stack" aria-label={document.name} data-testid="document">
      <div className="row">
        <strong>{document.name}</strong>
        <span className="badge">{t(`document.role.${document.role}`)}</span>
        <span className="muted">{format.bytes(document.size)}</span>
        <button type="button" className="secondary" onClick={onDownload} disabled={failed || progress !== null} style={{ marginLeft: 'auto' }}>{t('document.download', { name: document.name })}</button>
      </div>
      {progress !== null && <progress max={Math.max(document.size, 1)} value={progress} aria-label={t('document.decrypting', { name: document.name })} />}
      {failed && (
        <div className="alert error" role="alert" data-testid="document-warning">
          {t('document.failed')}
        </div>
      )}
      {blob && isPdf(document) && (
        <details open={wide} data-testid="preview-toggle">
          <summary>{t('document.preview')}</summary>
          <PdfPreview blob={blob} title={document.name} />
        </details>
      )}
      {xml !== null && (
        <details>
          <summary>{t('document.xml')}</summary>
          <pre className="xml" aria-label={t('document.xml_contents', { name: document.name })}>{xml}</pre>
        </details>
      )}
    </article>
  );
}
