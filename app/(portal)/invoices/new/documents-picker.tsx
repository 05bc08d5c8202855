'use client';

import { useEffect, useRef, useState, type DragEvent } from 'react';
import { checkDocument, describeDocumentProblem, type DocumentProblem } from '@/lib/client/document-checks';
import type { OutgoingDocument } from '@/lib/client/send-invoice';
import { useFormat, useT } from '@/lib/client/i18n';

const ROLES: readonly OutgoingDocument['role'][] = ['invoice-pdf', 'einvoice-xml', 'attachment'];

function guessRole(file: File, existing: OutgoingDocument[]): OutgoingDocument['role'] {
  const name = file.name.toLowerCase();
  if ((file.type === 'application/pdf' || name.endsWith('.pdf')) && !existing.some((d) => d.role === 'invoice-pdf')) return 'invoice-pdf';
  if ((file.type.includes('xml') || name.endsWith('.xml')) && !existing.some((d) => d.role === 'einvoice-xml')) return 'einvoice-xml';
  return 'attachment';
}

/** Each document's check for its current role, redone when the list or a role changes; `undefined` while checking. */
function useDocumentProblems(documents: OutgoingDocument[], maxBytes: number | null): Map<OutgoingDocument, DocumentProblem | null> {
  const [problems, setProblems] = useState<Map<OutgoingDocument, DocumentProblem | null>>(new Map());
  useEffect(() => {
    let current = true;
    Promise.all(documents.map(async (d) => [d, await checkDocument(d.file, d.role, maxBytes)] as const)).then((checked) => current && setProblems(new Map(checked)), () => {});
    return () => {
      current = false;
    };
  }, [documents, maxBytes]);
  return problems;
}

/** Documents by drag-and-drop or the file picker (keyboard reachable), with a role for each. */
export function DocumentsPicker({ documents, onChange, maxBytes, disabled }: { documents: OutgoingDocument[]; onChange: (docs: OutgoingDocument[]) => void; maxBytes: number | null; disabled: boolean }) {
  const t = useT();
  const format = useFormat();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const problems = useDocumentProblems(documents, maxBytes);

  function add(files: FileList | null) {
    if (!files) return;
    const next = [...documents];
    for (const file of Array.from(files)) next.push({ file, role: guessRole(file, next) });
    onChange(next);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setOver(false);
    if (!disabled) add(event.dataTransfer.files);
  }

  return (
    <section className="panel stack" aria-labelledby="documents-heading">
      <h2 id="documents-heading">{t('documents.title')}</h2>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>{t('documents.drop')}</p>
        <button type="button" className="secondary" onClick={() => input.current?.click()} disabled={disabled}>{t('documents.choose')}</button>
        <input ref={input} type="file" multiple hidden aria-label={t('documents.add')} onChange={(e) => { add(e.target.files); e.target.value = ''; }} />
        {maxBytes && <p className="muted">{t('documents.limit', { size: format.bytes(maxBytes) })}</p>}
      </div>
      {documents.length === 0 ? (
        <p className="muted">{t('documents.none')}</p>
      ) : (
        <table>
          <thead><tr><th scope="col">{t('documents.file')}</th><th scope="col">{t('documents.size')}</th><th scope="col">{t('documents.kind')}</th><th scope="col"><span className="muted">{t('documents.remove')}</span></th></tr></thead>
          <tbody>
            {documents.map((doc, i) => {
              const problem = problems.get(doc);
              const problemId = `document-problem-${i}`;
              return (
                <tr key={`${doc.file.name}-${i}`} data-testid="outgoing-document">
                  <td>
                    {doc.file.name}
                    {problem && <div className="field-error" id={problemId} data-testid="document-problem">{describeDocumentProblem(problem, t)}</div>}
                  </td>
                  <td>{format.bytes(doc.file.size)}</td>
                  <td>
                    <select aria-label={t('documents.kind_of', { name: doc.file.name })} aria-invalid={problem ? true : undefined} aria-describedby={problem ? problemId : undefined} value={doc.role} disabled={disabled} onChange={(e) => onChange(documents.map((d, j) => (j === i ? { ...d, role: e.target.value as OutgoingDocument['role'] } : d)))}>
                      {ROLES.map((role) => <option key={role} value={role}>{t(`document.role.${role}`)}</option>)}
                    </select>
                  </td>
                  <td><button type="button" className="secondary" disabled={disabled} aria-label={t('documents.remove_file', { name: doc.file.name })} onClick={() => onChange(documents.filter((_, j) => j !== i))}>{t('documents.remove')}</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
