import { beforeEach, describe, expect, it } from 'vitest';
import { acceptHighWater, compareWithMark, historyScope, keyringScope, memoryMarkStore, raiseHighWater, readHighWater, useMarkStore, type MarkStore } from './high-water';

describe('compareWithMark', () => {
  const mark = { seq: 5, hash: 'h5' };
  it('is first without a mark, same for the marked state, rollback below it, fork beside it', () => {
    expect(compareWithMark(null, { seq: 1, hash: 'x' })).toEqual({ state: 'first' });
    expect(compareWithMark(mark, { seq: 5, hash: 'h5' })).toEqual({ state: 'same' });
    expect(compareWithMark(mark, { seq: 4, hash: 'h4' })).toEqual({ state: 'rollback', mark });
    expect(compareWithMark(mark, { seq: 0, hash: '' })).toEqual({ state: 'rollback', mark });
    expect(compareWithMark(mark, { seq: 5, hash: 'other' })).toEqual({ state: 'fork', mark });
  });

  it('is ahead when newer data descends from the mark, a fork when it does not', () => {
    const history = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];
    expect(compareWithMark(mark, { seq: 7, hash: 'h7' }, (seq) => history[seq - 1])).toEqual({ state: 'ahead', mark });
    const forked = ['h1', 'h2', 'h3', 'h4', 'x5', 'x6', 'x7'];
    expect(compareWithMark(mark, { seq: 7, hash: 'x7' }, (seq) => forked[seq - 1])).toEqual({ state: 'fork', mark });
    // Nothing known about the earlier state: newer counts as ahead.
    expect(compareWithMark(mark, { seq: 7, hash: 'x7' }, () => undefined)).toEqual({ state: 'ahead', mark });
    expect(compareWithMark(mark, { seq: 6, hash: 'x6' })).toEqual({ state: 'ahead', mark });
  });
});

describe('stored marks', () => {
  let store: MarkStore;
  beforeEach(() => {
    store = memoryMarkStore();
    useMarkStore(store);
  });

  it('only ever rise, per user and scope', async () => {
    await raiseHighWater('u1', keyringScope(), { seq: 3, hash: 'a' });
    await raiseHighWater('u1', keyringScope(), { seq: 2, hash: 'b' });
    await raiseHighWater('u1', keyringScope(), { seq: 3, hash: 'c' });
    expect(await readHighWater('u1', keyringScope())).toEqual({ seq: 3, hash: 'a' });
    await raiseHighWater('u1', keyringScope(), { seq: 4, hash: 'd' });
    expect(await readHighWater('u1', keyringScope())).toEqual({ seq: 4, hash: 'd' });
    expect(await readHighWater('u2', keyringScope())).toBeNull();
    expect(await readHighWater('u1', historyScope('i1'))).toBeNull();
    expect(compareWithMark(await readHighWater('u1', keyringScope()), { seq: 3, hash: 'a' })).toMatchObject({ state: 'rollback' });
  });

  it('are lowered only by an explicit acceptance', async () => {
    await raiseHighWater('u1', historyScope('i1'), { seq: 3, hash: 'e3' });
    await acceptHighWater('u1', historyScope('i1'), { seq: 1, hash: 'e1' });
    expect(await readHighWater('u1', historyScope('i1'))).toEqual({ seq: 1, hash: 'e1' });
  });

  it('are sealed under the device key and bound to user and scope: a moved or damaged mark reads as none', async () => {
    await raiseHighWater('u1', keyringScope(), { seq: 3, hash: 'a' });
    const sealed = (await store.get(`u1|${keyringScope()}`))!;
    expect(new TextDecoder().decode(sealed)).not.toContain('"hash"');
    await store.put(`u2|${keyringScope()}`, sealed);
    expect(await readHighWater('u2', keyringScope())).toBeNull();
    const damaged = sealed.slice();
    damaged[damaged.length - 1]! ^= 1;
    await store.put(`u1|${keyringScope()}`, damaged);
    expect(await readHighWater('u1', keyringScope())).toBeNull();
  });
});
