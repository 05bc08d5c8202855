'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { looksLikeEInvoiceCandidate, readEInvoiceBlob, type EInvoiceReading } from '@/lib/client/einvoice';
import type { OutgoingDocument } from '@/lib/client/send-invoice';

/**
 * Reads every XML and PDF the supplier adds, once per file, in the browser. `settled()` waits for
 * the reads still running, so sending never skips the cross-check of a file just dropped.
 */
export function useEInvoiceReadings(documents: readonly OutgoingDocument[], onFirstRead: (file: File, reading: EInvoiceReading) => void) {
  const [readings, setReadings] = useState<ReadonlyMap<File, EInvoiceReading>>(new Map());
  const started = useRef(new Map<File, Promise<EInvoiceReading>>());
  const filled = useRef(false);
  const onFirst = useRef(onFirstRead);
  useEffect(() => {
    onFirst.current = onFirstRead;
  }, [onFirstRead]);

  useEffect(() => {
    for (const { file } of documents) {
      if (started.current.has(file) || !looksLikeEInvoiceCandidate(file.name, file.type)) continue;
      const reading = readEInvoiceBlob(file);
      started.current.set(file, reading);
      void reading.then((r) => {
        setReadings((previous) => new Map(previous).set(file, r));
        if (r.ok && !filled.current) {
          filled.current = true;
          onFirst.current(file, r);
        }
      });
    }
  }, [documents]);

  const settled = useCallback(async (): Promise<Map<File, EInvoiceReading>> => {
    const out = new Map<File, EInvoiceReading>();
    for (const { file } of documents) {
      const reading = started.current.get(file);
      if (reading) out.set(file, await reading);
    }
    return out;
  }, [documents]);

  return { readings, settled };
}
