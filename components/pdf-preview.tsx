'use client';

import { useEffect, useRef, useState } from 'react';
import { loadPdfJs } from '@/lib/client/pdfjs';

const MAX_PAGES = 20;

/** Renders a decrypted PDF to canvases with pdf.js, in the page; the bytes never leave the browser. */
export function PdfPreview({ blob, title }: { blob: Blob; title: string }) {
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
        canvas.setAttribute('aria-label', `${title}, page ${n} of ${pdf.numPages}`);
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
  }, [blob, title]);

  return (
    <figure className="pdf-preview" aria-label={`Preview of ${title}`}>
      <div ref={container} data-testid="pdf-preview" />
      {state === null && <p className="status" role="status">Rendering preview…</p>}
      {state && 'error' in state && <p className="alert warn" role="note">This PDF could not be previewed ({state.error}). Download it to open it in another program.</p>}
      {state && 'pages' in state && state.pages > state.shown && <figcaption className="muted">Showing the first {state.shown} of {state.pages} pages. Download the file for the rest.</figcaption>}
    </figure>
  );
}
