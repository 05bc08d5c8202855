import { fingerprint } from '@/lib/crypto/fingerprint';
import { fromBase64Url, toBase64Url } from '@/lib/crypto/encoding';
import { ChainError, hashLink, replayChain, type ChainMember, type ChainState, type SignedChainLink } from '@/lib/crypto/org';
import type { MessageKey, MessageParams } from '@/lib/shared/i18n';
import type { OrgRole } from '@/lib/shared/roles';
import type { MemberDto, OrgMembersDto, PendingAcceptanceDto } from '@/lib/shared/schemas/org';
import type { UnlockedAccount, UnlockedOrg } from './account';
import { api } from './api';
import { chainScope, compareWithMark, raiseHighWater, readHighWater, type Mark, type MarkCheck } from './high-water';
import type { Keyring } from './keyring';
import { checkAcceptance, type AcceptanceVerdict } from './org-membership';

/** Something about the org's membership the user must see; `blocking` ones stop member changes. */
export interface OrgProblem {
  key: MessageKey;
  params?: MessageParams;
  blocking: boolean;
}

export interface MemberRow {
  userId: string;
  displayName: string;
  email: string;
  /** The role the chain gives (what this browser trusts), not the server's. */
  role: OrgRole;
  joinedAt: string;
  safetyNumber: string;
}

export interface PendingRow {
  pending: PendingAcceptanceDto;
  role: OrgRole | null;
  safetyNumber: string;
  verdict: AcceptanceVerdict;
}

/** The org's membership as this browser verified it: the server's lists checked against the replayed chain. */
export interface OrgMembership {
  data: OrgMembersDto;
  /** null: no chain yet (an org made before chains), or the chain was refused (see problems). */
  state: ChainState | null;
  members: MemberRow[];
  pending: PendingRow[];
  problems: OrgProblem[];
  /** The caller's role according to the chain, or null if the chain does not name them. */
  myRole: OrgRole | null;
  /** The verified head (seq, hash of the last link), when the chain verified and is not older than what this user saw. */
  head: Mark | null;
}

/** Where the last verified chain head is remembered (DESIGN §3.4): the keyring, and this device's mark. */
export interface ChainMemory {
  current(): Keyring;
  updateKeyring(change: (keyring: Keyring) => void): Promise<Keyring>;
}

/** A chain older than, or diverging from, a head this user verified before: the server withholds or rewrote links. */
function headProblem(check: MarkCheck, observedSeq: number): OrgProblem | null {
  if (check.state === 'rollback') return { key: 'members.chain_rollback', params: { seen: check.mark.seq + 1, served: observedSeq + 1 }, blocking: true };
  if (check.state === 'fork') return { key: 'members.chain_fork', params: { seq: check.mark.seq }, blocking: true };
  return null;
}

export function safetyNumberOf(userId: string, signingKey: string, encryptionKey: string): Promise<string> {
  return fingerprint({ signing: fromBase64Url(signingKey), encryption: fromBase64Url(encryptionKey) }, `user:${userId}`);
}

const sameKeys = (chain: ChainMember, server: Pick<MemberDto, 'signingPublicKey' | 'encryptionPublicKey'>) =>
  chain.signingKey === server.signingPublicKey && chain.encryptionKey === server.encryptionPublicKey;

/** The heads this user verified before: the keyring's (every device) and this device's mark. */
async function rememberedHeads(account: Pick<UnlockedAccount, 'userId'>, org: UnlockedOrg, memory?: ChainMemory): Promise<(Mark | null)[]> {
  return [memory?.current().chains[org.orgId] ?? null, await readHighWater(account.userId, chainScope(org.orgId))];
}

/**
 * Replays the chain the server serves and audits the server's view against it (DESIGN §3.3): a
 * member the server lists that the chain does not name (or names with other keys), an org secret
 * the server holds for someone outside the chain (the box audit), and org keys other than the
 * chain's are each a blocking warning. The chain is the only source of who is a member.
 * `remembered`: the heads verified before, read before `data` was fetched (see loadMembership).
 */
export async function verifyMembership(
  account: Pick<UnlockedAccount, 'userId'>,
  org: UnlockedOrg,
  data: OrgMembersDto,
  memory?: ChainMemory,
  remembered?: readonly (Mark | null)[],
): Promise<OrgMembership> {
  const problems: OrgProblem[] = [];
  let state: ChainState | null = null;
  let head: Mark | null = null;
  remembered ??= await rememberedHeads(account, org, memory);
  if (data.chain.length === 0) {
    // No chain at all is an old org's state, unless this user already verified one: then it was withheld.
    const seen = remembered.find((m) => m !== null);
    problems.push(seen ? { key: 'members.chain_rollback', params: { seen: seen.seq + 1, served: 0 }, blocking: true } : { key: 'members.chain_none', blocking: false });
  } else {
    try {
      state = await replayChain(org.orgId, data.chain as SignedChainLink[]);
    } catch (error) {
      if (!(error instanceof ChainError)) throw error;
      problems.push({ key: 'members.chain_refused', params: { detail: error.message }, blocking: true });
    }
  }
  if (state) {
    const hashes = await Promise.all(data.chain.map((l) => hashLink((l as SignedChainLink).link)));
    const observed = { seq: state.seq, hash: state.headHash };
    const found = remembered.map((mark) => headProblem(compareWithMark(mark, observed, (seq) => hashes[seq]), observed.seq)).find((p) => p !== null);
    if (found) problems.push(found);
    else head = observed;
  }

  const members: MemberRow[] = [];
  if (state) {
    const keys = state.epochs[state.epoch];
    if (state.epoch !== org.keyVersion || keys?.signingPublicKey !== toBase64Url(org.keys.signingPublicKey) || keys.encryptionPublicKey !== toBase64Url(org.keys.encryptionPublicKey)) {
      problems.push({ key: 'members.keys_mismatch', blocking: true });
    }
    for (const server of data.members) {
      const chain = state.members.get(server.userId);
      if (!chain || !sameKeys(chain, server)) problems.push({ key: 'members.not_in_chain', params: { name: server.displayName, email: server.email }, blocking: true });
    }
    for (const chain of state.members.values()) {
      const server = data.members.find((m) => m.userId === chain.userId);
      if (!server) problems.push({ key: 'members.missing_from_server', params: { name: chain.userId }, blocking: false });
      members.push({
        userId: chain.userId,
        displayName: server?.displayName ?? chain.userId,
        email: server?.email ?? '',
        role: chain.role,
        joinedAt: server?.joinedAt ?? '',
        safetyNumber: await safetyNumberOf(chain.userId, chain.signingKey, chain.encryptionKey),
      });
    }
    const outsiders = data.grantHolders.filter((id) => !state!.members.has(id));
    if (outsiders.length) {
      const names = outsiders.map((id) => data.members.find((m) => m.userId === id)?.displayName ?? id);
      problems.push({ key: 'members.box_audit', params: { who: names.join(', ') }, blocking: true });
    }
  } else {
    // Without a verified chain the server's list is shown as it is, and nothing can be changed.
    for (const m of data.members) members.push({ ...m, safetyNumber: await safetyNumberOf(m.userId, m.signingPublicKey, m.encryptionPublicKey) });
  }

  const pending: PendingRow[] = [];
  for (const p of data.acceptances) {
    pending.push({
      pending: p,
      role: state?.invites.get(p.acceptance.inviteId)?.role ?? null,
      safetyNumber: await safetyNumberOf(p.acceptance.userId, p.acceptance.userSigningKey, p.acceptance.userEncryptionKey),
      verdict: state ? await checkAcceptance(state, p) : { ok: false, reason: 'members.check_no_invite' },
    });
  }
  const myRole = state ? (state.members.get(account.userId)?.role ?? null) : data.members.find((m) => m.userId === account.userId)?.role ?? null;
  if (head) await rememberChainHead(account.userId, org.orgId, head, memory);
  return { data, state, members, pending, problems, myRole, head };
}

/**
 * Raises this device's mark and the keyring's head to a chain head that verified (never lowers
 * either): from then on a server that serves fewer links, or other ones, is caught (DESIGN §3.4).
 */
async function rememberChainHead(userId: string, orgId: string, head: Mark, memory?: ChainMemory): Promise<void> {
  await raiseHighWater(userId, chainScope(orgId), head);
  const known = memory?.current().chains[orgId];
  if (memory && (!known || known.seq < head.seq)) {
    await memory.updateKeyring((k) => {
      const mark = k.chains[orgId];
      if (!mark || mark.seq < head.seq) k.chains[orgId] = head;
    });
  }
}

// One check per unlocked org object: a new unlock (or a rotation, which unlocks again) checks afresh.
const checked = new WeakMap<UnlockedOrg, Promise<OrgMembership>>();

/**
 * Loads and checks the membership now. The newest check is also what every page's banner shows
 * from then on: a member the server added after the unlock, found on the members page, is then
 * warned about everywhere, not only there.
 */
export async function loadMembership(account: Pick<UnlockedAccount, 'userId'>, org: UnlockedOrg, memory?: ChainMemory): Promise<OrgMembership> {
  // Read before the request: a check running beside this one (the banner, the members page) may
  // raise them while this answer is on its way, and an honest answer would then look rolled back.
  const remembered = await rememberedHeads(account, org, memory);
  const membership = await verifyMembership(account, org, await api<OrgMembersDto>(`/api/orgs/${org.orgId}/members`), memory, remembered);
  checked.set(org, Promise.resolve(membership));
  return membership;
}

/** The membership check of an unlock (DESIGN §3.3: chain replay and box audit), run once per unlocked org. */
export function membershipAtUnlock(account: Pick<UnlockedAccount, 'userId'>, org: UnlockedOrg, memory?: ChainMemory): Promise<OrgMembership> {
  let entry = checked.get(org);
  if (!entry) {
    entry = loadMembership(account, org, memory);
    entry.catch(() => checked.delete(org));
    checked.set(org, entry);
  }
  return entry;
}
