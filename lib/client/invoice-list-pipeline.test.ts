import { describe, expect, it } from 'vitest';
import { importOrgDekWrapKey, unwrapDekFast } from '@/lib/crypto/envelope';
import { fromBase64Url } from '@/lib/crypto/encoding';
import type { InvoiceDto } from '@/lib/shared/invoice-dto';
import { FAST_KEYS_PER_REQUEST } from '@/lib/shared/schemas/invoice';
import type { UnlockedOrg } from './account';
import { FastKeyQueue, type SendFastKeys } from './fast-key-queue';
import type { CompactInvoice } from './list-index';
import { parseInvoiceList } from './open-invoice';
import { addIndexedRows, COMPACT_PAGE_SIZE, COMPACT_RANGES_AHEAD, fetchCompactPages, fetchListPages, LIST_PAGE_SIZE, readAhead, ROWS_PER_SLICE } from './use-invoice-list';
import { virtualWindow } from './use-virtual-rows';

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const invoice = (n: number) => ({ id: id(n) }) as InvoiceDto;
const page = (ns: number[], nextCursor: string | null) => ({ invoices: ns.map(invoice), orgs: {}, signers: {}, nextCursor });

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('fetchListPages', () => {
  it('follows the cursor to the end, asking for the next chunk before the previous one is used', async () => {
    const pages = new Map([[null, page([1, 2], id(2))], [id(2), page([3, 4], id(4))], [id(4), page([5], null)]]);
    const asked: string[] = [];
    const fetchPage = async (url: string) => {
      asked.push(url);
      return pages.get(new URL(url, 'http://x').searchParams.get('after'))!;
    };
    const seen: number[] = [];
    for await (const chunk of fetchListPages('inbox', id(99), fetchPage)) {
      // The request for the next chunk is already out while this one is handed over.
      seen.push(asked.length);
      expect(chunk.invoices.length).toBeGreaterThan(0);
    }
    expect(seen).toEqual([2, 3, 3]);
    expect(asked[0]).toContain(`limit=${LIST_PAGE_SIZE}`);
    expect(asked[0]).not.toContain('after=');
  });

  it.each([
    ['a chunk that goes back', [page([1, 2], id(2)), page([2, 3], null)]],
    ['ids out of order within a chunk', [page([2, 1], null)]],
    ['a cursor that is not the last id sent', [page([1, 2], id(1)), page([2], null)]],
    ['a cursor that repeats forever', [page([1], id(1)), page([], id(1))]],
  ])('refuses a server that does not move forward: %s', async (_name, script) => {
    let n = 0;
    const fetchPage = async () => script[Math.min(n++, script.length - 1)]!;
    await expect(collect(fetchListPages('inbox', id(99), fetchPage))).rejects.toThrow(/out of order/);
  });

  it('passes an item without an id through to be flagged as malformed, still checking the order of the rest', async () => {
    const withJunk = { invoices: [invoice(1), { junk: true }, invoice(2)], orgs: {}, signers: {}, nextCursor: null };
    const pages = await collect(fetchListPages('inbox', id(99), async () => withJunk));
    expect(pages).toHaveLength(1);
    const { list, malformed } = parseInvoiceList(pages[0]!);
    expect(list.invoices).toHaveLength(0); // the bare {id} stubs are not invoices either
    expect(malformed).toEqual([id(1), null, id(2)]);
    const swapped = { ...withJunk, invoices: [invoice(2), { junk: true }, invoice(1)] };
    await expect(collect(fetchListPages('inbox', id(99), async () => swapped))).rejects.toThrow(/out of order/);
  });
});

describe('fetchCompactPages', () => {
  // The page fetchers look at a chunk's ids and cursor alone.
  type Compact = { ids: unknown[]; nextCursor: string | null };
  const chunkOf = (ids: unknown[], nextCursor: string | null): Compact => ({ ids, nextCursor });
  /** An honest server over `ids` (kept sorted), answering view=bounds and compact ranges as the route does. */
  const server = (ids: string[]) => {
    const asked: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const fetchPage = async (url: string): Promise<Compact> => {
      asked.push(url);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      const q = new URL(url, 'http://x').searchParams;
      const [after, until, limit] = [q.get('after'), q.get('until'), Number(q.get('limit'))];
      const rows = [...ids].sort().filter((i) => (!after || i > after) && (!until || i <= until));
      const chunk = rows.slice(0, limit);
      return chunkOf(chunk, rows.length > limit ? chunk.at(-1)! : null);
    };
    const fetchBounds = async (url: string) => {
      asked.push(url);
      const limit = Number(new URL(url, 'http://x').searchParams.get('limit'));
      const sorted = [...ids].sort();
      return { bounds: sorted.filter((_, n) => (n + 1) % limit === 0 && n + 1 < sorted.length) };
    };
    return { asked, fetchPage, fetchBounds, maxInFlight: () => maxInFlight };
  };
  const many = (n: number, from = 1) => Array.from({ length: n }, (_, k) => id(from + k * 2));
  const idsOf = (pages: Compact[]) => pages.flatMap((p) => p.ids);

  it('asks for the bounds and the first chunk at once, then the ranges a few at a time, and hands over every invoice once, in order', async () => {
    const ids = many(4 * COMPACT_PAGE_SIZE + 7);
    const s = server(ids);
    const pages = await collect(fetchCompactPages('inbox', id(99), s.fetchPage, s.fetchBounds));
    expect(idsOf(pages)).toEqual(ids);
    expect(pages).toHaveLength(5);
    expect(s.asked.slice(0, 2).map((u) => new URL(u, 'http://x').searchParams.get('view')).sort()).toEqual(['bounds', 'compact']);
    // The first chunk ended at the first bound: not asked for again.
    expect(s.asked.filter((u) => !u.includes('after=') && u.includes('view=compact'))).toHaveLength(1);
    expect(s.asked.filter((u) => u.includes('until='))).toHaveLength(3);
    expect(s.maxInFlight()).toBeGreaterThan(1);
    expect(s.maxInFlight()).toBeLessThanOrEqual(COMPACT_RANGES_AHEAD);
  });

  it('takes a one-chunk list in one request besides the bounds', async () => {
    const s = server(many(3));
    expect(idsOf(await collect(fetchCompactPages('inbox', id(99), s.fetchPage, s.fetchBounds)))).toEqual(many(3));
    expect(s.asked).toHaveLength(2);
  });

  it('follows invoices that arrived while it read: a first chunk past the first bound is asked for again, a grown range is followed by its cursor', async () => {
    const ids = many(2 * COMPACT_PAGE_SIZE + 3);
    const s = server(ids);
    // Arrives after the first chunk was served, before the bounds: the first chunk now ends past the first bound.
    const early = id(0);
    // Arrives after the bounds were read, inside the second range.
    const late = id(2 * COMPACT_PAGE_SIZE + 2);
    const pages = await collect(
      fetchCompactPages(
        'inbox',
        id(99),
        async (url) => {
          const page = await s.fetchPage(url);
          if (!ids.includes(early)) ids.push(early);
          return page;
        },
        async (url) => {
          // Read after the first chunk was served (and `early` arrived).
          await new Promise((resolve) => setTimeout(resolve, 20));
          const bounds = await s.fetchBounds(url);
          ids.push(late);
          return bounds;
        },
      ),
    );
    expect(idsOf(pages)).toEqual([...ids].sort());
    expect(ids).toContain(early);
    expect(ids).toContain(late);
    // The first chunk, past the first bound, was asked for again within it.
    expect(s.asked.filter((u) => !u.includes('after=') && u.includes('view=compact'))).toHaveLength(2);
    // The second range, one invoice over a chunk, took a second request.
    expect(s.asked.filter((u) => u.includes('until=') && u.includes('after='))).toHaveLength(2);
  });

  it.each([
    ['bounds that do not increase', (b: string[]) => [b[1]!, b[0]!], (p: Compact) => p],
    ['a range that repeats the invoice at its start (overlap)', (b: string[]) => b, (p: Compact, url: string) => (url.includes('until=') ? chunkOf([new URL(url, 'http://x').searchParams.get('after'), ...p.ids], p.nextCursor) : p)],
    ['a range that goes past its end', (b: string[]) => b, (p: Compact, url: string) => (url.includes('until=') && !url.includes(`until=${id(2 * COMPACT_PAGE_SIZE * 2 - 1)}`) ? chunkOf([...p.ids, id(999_999)], p.nextCursor) : p)],
    ['a cursor that is not the last id sent', (b: string[]) => b, (p: Compact, url: string) => (url.includes('until=') ? { ...p, nextCursor: p.ids[0] as string } : p)],
  ])('refuses %s', async (_name, bounds, answer) => {
    const s = server(many(3 * COMPACT_PAGE_SIZE + 1));
    const run = collect(fetchCompactPages('inbox', id(99), async (url) => answer(await s.fetchPage(url), url), async (url) => ({ bounds: bounds((await s.fetchBounds(url)).bounds) })));
    await expect(run).rejects.toThrow(/out of order/);
  });
});

describe('addIndexedRows', () => {
  // Invoices the index has no record for need no keys to be handled (sent to the per-invoice path),
  // so they show the slicing alone; the index counts the invoices looked up.
  const org = { orgId: id(99) } as UnlockedOrg;
  const items = (n: number): CompactInvoice[] =>
    Array.from({ length: n }, (_, i) => ({ id: id(i + 1), supplierOrgId: id(98), customerOrgId: id(99), status: 'issued', createdAt: '', updatedAt: '', manifestSha256: new Uint8Array(32), headerSha256: new Uint8Array(32) }));
  const add = (n: number, wanted: () => boolean) => {
    const looked: string[] = [];
    const records = new Map<string, never[]>();
    records.get = (key: string) => (looked.push(key), undefined);
    const result = addIndexedRows(items(n), { records, unreadable: 0 }, {}, org, {} as never, { fingerprint: async () => '' } as never, [], wanted);
    return { looked, result };
  };

  it('hands the main thread back between slices, and stops at the next one once the list is no longer wanted', async () => {
    let asked = 0;
    const { looked, result } = add(ROWS_PER_SLICE * 2 + 1, () => (asked++, false));
    expect(await result).toBeNull();
    expect(asked).toBe(1);
    expect(looked).toHaveLength(ROWS_PER_SLICE);
  });

  it('goes through every item while the list is wanted, and returns those without a record', async () => {
    let asked = 0;
    const { looked, result } = add(ROWS_PER_SLICE * 2 + 1, () => (asked++, true));
    expect(await result).toEqual(items(ROWS_PER_SLICE * 2 + 1).map((item) => item.id));
    expect(asked).toBe(2);
    expect(looked).toHaveLength(ROWS_PER_SLICE * 2 + 1);
  });
});

describe('readAhead', () => {
  const pagesOf = (script: ReturnType<typeof page>[]) => {
    const asked: string[] = [];
    let n = 0;
    const fetchPage = async (url: string) => {
      asked.push(url);
      return script[n++]!;
    };
    return { asked, pages: fetchListPages('inbox', id(99), fetchPage) };
  };

  it('loads every page before the consumer asks for one, and hands them over in order', async () => {
    const { asked, pages } = pagesOf([page([1, 2], id(2)), page([3, 4], id(4)), page([5], null)]);
    const ahead = readAhead(pages);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(asked).toHaveLength(3);
    expect((await collect(ahead.items)).flatMap((p) => (p.invoices as InvoiceDto[]).map((i) => i.id))).toEqual([1, 2, 3, 4, 5].map(id));
  });

  it('hands over a server that does not move forward as the error it is, after the pages before it', async () => {
    const { pages } = pagesOf([page([1, 2], id(2)), page([2, 3], null)]);
    const seen: string[] = [];
    await expect((async () => {
      for await (const p of readAhead(pages).items) seen.push(...(p.invoices as InvoiceDto[]).map((i) => i.id));
    })()).rejects.toThrow(/out of order/);
    expect(seen).toEqual([id(1), id(2)]);
  });

  it('asks for no more pages once stopped (but the one already asked for)', async () => {
    const script = [page([1], id(1)), page([2], id(2)), page([3], id(3)), page([4], null)];
    let n = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetchPage = async () => {
      const p = script[n++]!;
      if (n === 2) await gate;
      return p;
    };
    const ahead = readAhead(fetchListPages('inbox', id(99), fetchPage));
    await new Promise((resolve) => setTimeout(resolve, 10));
    ahead.stop();
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(n).toBe(3);
  });
});

describe('FastKeyQueue', async () => {
  const org = { orgId: id(7), keyVersion: 3, dekWrapKey: await importOrgDekWrapKey(new Uint8Array(32).fill(9), { orgId: id(7), version: 3 }) } as UnlockedOrg;

  it('sends every copy once, in batches of at most a request’s worth, at most two requests at a time; each copy unwraps for its invoice only', async () => {
    const sent: Parameters<SendFastKeys>[0][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const release: (() => void)[] = [];
    const queue = new FastKeyQueue(async (batch) => {
      sent.push(batch);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise<void>((resolve) => release.push(resolve));
      inFlight--;
    });
    const total = 3 * FAST_KEYS_PER_REQUEST + 5;
    const dek = (n: number) => new Uint8Array(32).fill(n % 256);
    const hashes = (n: number) => ({ manifestSha256: new Uint8Array(32).fill(1), headerSha256: new Uint8Array(32).fill(n % 256) });
    const bindingOf = (n: number) => ({ invoiceId: id(n), orgId: org.orgId, keyVersion: org.keyVersion, ...hashes(n) });
    for (let n = 0; n < total; n++) await queue.add(org, dek(n), bindingOf(n));
    const flushed = queue.flush();
    while (sent.reduce((k, b) => k + b.keys.length, 0) < total || release.length) {
      release.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await flushed;
    // How the copies split into batches depends on timing (a batch also goes out shortly after the
    // last copy queued); that each goes exactly once, in order, and the limits do not.
    expect(maxInFlight).toBeLessThanOrEqual(FastKeyQueue.IN_FLIGHT);
    expect(sent.every((b) => b.keys.length <= FAST_KEYS_PER_REQUEST)).toBe(true);
    expect(sent.flatMap((b) => b.keys.map((k) => k.invoiceId))).toEqual(Array.from({ length: total }, (_, n) => id(n)));
    const n = 3 * FAST_KEYS_PER_REQUEST;
    const copy = sent.flatMap((b) => b.keys)[n]!;
    const binding = bindingOf(n);
    expect(await unwrapDekFast(org.dekWrapKey, fromBase64Url(copy.wrappedDek), binding)).toEqual(dek(n));
    // Bound to its invoice, and to the manifest and header hashes it was made for.
    await expect(unwrapDekFast(org.dekWrapKey, fromBase64Url(copy.wrappedDek), { ...binding, invoiceId: id(n + 1) })).rejects.toThrow();
    await expect(unwrapDekFast(org.dekWrapKey, fromBase64Url(copy.wrappedDek), { ...binding, manifestSha256: new Uint8Array(32).fill(2) })).rejects.toThrow();
    await expect(unwrapDekFast(org.dekWrapKey, fromBase64Url(copy.wrappedDek), { ...binding, headerSha256: new Uint8Array(32).fill((n + 1) % 256) })).rejects.toThrow();
  });

  it('holds: sends nothing until released, then every copy once, each unwrapping for its invoice; a flush releases too', async () => {
    const sent: Parameters<SendFastKeys>[0][] = [];
    const queue = new FastKeyQueue(async (batch) => void sent.push(batch), { hold: true });
    const total = FAST_KEYS_PER_REQUEST + 3;
    const bindingOf = (n: number) => ({ invoiceId: id(n), orgId: org.orgId, keyVersion: org.keyVersion, manifestSha256: new Uint8Array(32).fill(1), headerSha256: new Uint8Array(32).fill(n % 256) });
    for (let n = 0; n < total; n++) await queue.add(org, new Uint8Array(32).fill(n % 256), bindingOf(n));
    // Past the flush delay and a full request's worth: nothing goes while held.
    await new Promise((resolve) => setTimeout(resolve, FastKeyQueue.FLUSH_DELAY_MS * 2));
    expect(sent).toHaveLength(0);
    await queue.release();
    await queue.flush();
    // A slice is wrapped side by side, so its copies may go in any order.
    const copies = sent.flatMap((b) => b.keys);
    expect(copies.map((k) => k.invoiceId).sort()).toEqual(Array.from({ length: total }, (_, n) => id(n)));
    const last = copies.find((k) => k.invoiceId === id(total - 1))!;
    expect(await unwrapDekFast(org.dekWrapKey, fromBase64Url(last.wrappedDek), bindingOf(total - 1))).toEqual(new Uint8Array(32).fill((total - 1) % 256));
    // Released once: what comes later is sent as by an unheld queue.
    await queue.add(org, new Uint8Array(32), bindingOf(total));
    await queue.flush();
    expect(sent.flatMap((b) => b.keys)).toHaveLength(total + 1);

    const left = new FastKeyQueue(async (batch) => void sent.push(batch), { hold: true });
    await left.add(org, new Uint8Array(32), bindingOf(total + 1));
    await left.flush();
    expect(sent.flatMap((b) => b.keys).at(-1)!.invoiceId).toBe(id(total + 1));
  });

  it('keeps queues apart: what one page queued is not sent by another', async () => {
    const a: unknown[] = [];
    const b: unknown[] = [];
    const first = new FastKeyQueue(async (batch) => void a.push(batch));
    const second = new FastKeyQueue(async (batch) => void b.push(batch));
    await first.add(org, new Uint8Array(32), { invoiceId: id(1), orgId: org.orgId, keyVersion: org.keyVersion, manifestSha256: new Uint8Array(32), headerSha256: new Uint8Array(32) });
    await second.flush();
    expect(b).toHaveLength(0);
    await first.flush();
    expect(a).toHaveLength(1);
  });
});

describe('virtualWindow', () => {
  it('renders the rows on screen and the overscan, with spacers for the rest, at any scroll position', () => {
    expect(virtualWindow(100_000, 40, 0, 400, 5)).toEqual({ start: 0, end: 15, before: 0, after: (100_000 - 15) * 40 });
    expect(virtualWindow(100_000, 40, 40_000, 400, 5)).toEqual({ start: 995, end: 1015, before: 995 * 40, after: (100_000 - 1015) * 40 });
    expect(virtualWindow(100_000, 40, 4_000_000, 400, 5)).toEqual({ start: 99_995, end: 100_000, before: 99_995 * 40, after: 0 });
    expect(virtualWindow(3, 40, 0, 400, 5)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
    expect(virtualWindow(0, 40, 0, 400, 5)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
    // Scrolled past the end after the list shrank (a filter): nothing negative.
    expect(virtualWindow(10, 40, 9_000, 400, 5)).toEqual({ start: 10, end: 10, before: 400, after: 0 });
  });
});
