'use client';

import { useEffect, useRef, useState } from 'react';
import { useT } from '@/lib/client/i18n';
import { loadPdfJs } from '@/lib/client/pdfjs';

const MAX_PAGES = 20;

/** Renders a decrypted PDF to canvases with pdf.js, in the page; the bytes never leave the browser. */
export function PdfPreview({ blob, title }: { blob: Blob; title: string }) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ pages: number; shown: number } | { error: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    const target = container.current;
    (async () => {
      const pdfjs = await loadPdfJs();
      const pdf = await pdfjs.getDocument({ data: new Uint8Array(await blob.arrayBuffer()), isEvalSupported: false }).promise;
      const shown = Math.min(pdf.numPages, MAX_PAGES);
      for (let n = 1; n <= shown && !cancelled; n++) {
        const page = await pdf.getPage(n);
        const viewport = page.getViewport({ scale: 1.3 });
        const canvas = document.createElement('canvas');
        canvas.width = viewport.width;
        canvas.height = viewport.height;
        canvas.setAttribute('aria-label', t('preview.page', { name: title, n, count: pdf.numPages }));
        canvas.setAttribute('role', 'img');
        await page.render({ canvas, viewport }).promise;
        target?.appendChild(canvas);
      }
      if (!cancelled) setState({ pages: pdf.numPages, shown });
      await pdf.destroy();
    })().catch((error: unknown) => !cancelled && setState({ error: error instanceof Error ? error.message : String(error) }));
    return () => {
      cancelled = true;
      target?.replaceChildren();
    };
  }, [blob, title, t]);

  return (
    <figure className="pdf-preview" aria-label={t('preview.label', { name: title })}>
      <div ref={container} data-testid="pdf-preview" />
      {state === null && <p className="status" role="status">{t('preview.rendering')}</p>}
      {state && 'error' in state && <p className="alert warn" role="note">{t('preview.failed', { error: state.error })}</p>}
      {state && 'pages' in state && state.pages > state.shown && <figcaption className="muted">{t('preview.first_pages', { shown: state.shown, count: state.pages })}</figcaption>}
    </figure>
  );
}
