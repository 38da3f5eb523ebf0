import { type Contract, checksumAddress } from "@mobile-id/chain";
import { STATUS_READ_WORDS } from "@mobile-id/core";
import { AuditorError } from "./errors.ts";
import { ACCREDITATION_STATUSES, CONTRACT_EVENTS, LIST_PURPOSES, type LedgerEvent, PARTY_ROLES } from "./events.ts";
import { compareText } from "./internal/compare.ts";
import { queryEvents } from "./internal/logs.ts";
import { ledgerCall, mapLimit } from "./internal/rpc.ts";
import type { AuditLedger } from "./openLedger.ts";
import type { ProgressListener } from "./progress.ts";
import { type RebuiltAccreditation, blocksNeedingTime, rebuildLedgerState } from "./rebuildLedgerState.ts";
import { type ReportHeader, reportHeader } from "./reportHeader.ts";

export interface CheckConsistencyParameters {
  readonly ledger: AuditLedger;
  /** The block whose state is read (every view is called with this `blockTag`). Required with `events`;
   * default: the head. */
  readonly atBlock?: number;
  /**
   * The events to rebuild from (e.g. from {@link readLedgerEvents}, or an archive). Default: read every event of
   * the accreditation and status registries up to `atBlock`.
   */
  readonly events?: readonly LedgerEvent[];
  /** Compare every earlier version of every accreditation too (`accreditationHistory`). Default true. */
  readonly checkHistory?: boolean;
  /** `all`: read every word of every list (finds bits set without an event); `touched`: only words some
   * event wrote. Default `all`. */
  readonly words?: "all" | "touched";
  readonly onProgress?: ProgressListener;
}

export const MISMATCH_SUBJECTS = [
  "eventLog",
  "root",
  "party",
  "credentialType",
  "accreditation",
  "accreditationHistory",
  "statusList",
  "operator",
  "statusWord",
] as const;
export type MismatchSubject = (typeof MISMATCH_SUBJECTS)[number];

/** One disagreement between what the events imply and what the contracts answer. */
export interface ConsistencyMismatch {
  readonly subject: MismatchSubject;
  /** Which record: `0xabc…` (party), `0xabc…|0xtype…` (accreditation), `list 3 word 17`, `count`… */
  readonly key: string;
  readonly field: string;
  readonly fromEvents: string;
  readonly onChain: string;
  /** More precision when useful (the entries of a word that differ, an anomaly's transaction). */
  readonly detail: string;
}

export interface ConsistencyReport extends ReportHeader {
  readonly kind: "consistency";
  readonly consistent: boolean;
  /** The last block of the events used (normally `atBlock`). */
  readonly eventsToBlock: number;
  readonly eventCount: number;
  readonly checked: {
    readonly roots: number;
    readonly parties: number;
    readonly credentialTypes: number;
    readonly accreditations: number;
    readonly historyEntries: number;
    readonly lists: number;
    readonly operators: number;
    /** Total of the above. */
    readonly records: number;
    readonly words: number;
  };
  readonly mismatches: readonly ConsistencyMismatch[];
  /** `consistent: N records, M words checked` or `INCONSISTENT: K mismatches …`. */
  readonly summary: string;
}

/** Most words per `words()` read (the contract's MAX_READ_WORDS). */
const WORDS_PER_READ = STATUS_READ_WORDS;

/**
 * Rebuilds the registries' state from events alone and compares it, record by record and word by word, with
 * the contracts' views at the same block: root and pending hand-over, every party, credential type,
 * accreditation (and each earlier version), status list, operator grant and status word. Returns every
 * mismatch; throws only when the ledger cannot be read.
 *
 * Accreditation records are found through their events: a record written without any event could not be
 * found (the contract keeps them in a mapping), but the party, type and list counts, and full reads of every
 * list's words, would expose the other kinds of silent writes.
 *
 * @example
 * ```ts
 * const report = await checkConsistency({ ledger });
 * if (!report.consistent) process.exitCode = 1;
 * console.log(report.summary); // "consistent: 42 records, 2048 words checked at block 118"
 * ```
 */
export async function checkConsistency(params: CheckConsistencyParameters): Promise<ConsistencyReport> {
  const { ledger, onProgress } = params;
  if (params.events !== undefined && params.atBlock === undefined) {
    throw new AuditorError("INVALID_ARGUMENT", "give atBlock with events: the state is compared at that block");
  }
  const atBlock = await ledger.resolveBlock(params.atBlock);
  const events =
    params.events ??
    (await queryEvents(
      ledger,
      [
        { source: "accreditationRegistry", events: CONTRACT_EVENTS.accreditationRegistry },
        { source: "statusRegistry", events: CONTRACT_EVENTS.statusRegistry },
      ],
      0,
      atBlock,
      onProgress,
    ));
  const state = rebuildLedgerState({ events, blockTimestamps: await ledger.blockTimestamps(blocksNeedingTime(events), onProgress) });

  const mismatches: ConsistencyMismatch[] = state.anomalies.map((a) => ({
    subject: "eventLog",
    key: `block ${a.blockNumber} log ${a.logIndex}`,
    field: "event",
    fromEvents: a.message,
    onChain: "",
    detail: `tx ${a.transactionHash}`,
  }));
  const mismatch = (subject: MismatchSubject, key: string, field: string, fromEvents: unknown, onChain: unknown, detail = "") =>
    mismatches.push({ subject, key, field, fromEvents: show(fromEvents), onChain: show(onChain), detail });
  const compare = (subject: MismatchSubject, key: string, expected: Readonly<Record<string, unknown>>, actual: Readonly<Record<string, unknown>>) => {
    for (const field of Object.keys(expected)) {
      if (show(expected[field]) !== show(actual[field])) mismatch(subject, key, field, expected[field], actual[field]);
    }
  };

  const acc = ledger.contracts.accreditationRegistry;
  const status = ledger.contracts.statusRegistry;
  // A view at `atBlock`; a revert is returned as a value, for the check to report.
  const view = async (contract: Contract, fn: string, ...args: unknown[]): Promise<{ ok: true; value: ViewResult } | { ok: false; revert: string }> => {
    try {
      const value = (await ledgerCall(fn, { args: args.map(String), atBlock }, () =>
        contract.getFunction(fn).staticCall(...args, { blockTag: atBlock }),
      )) as ViewResult;
      return { ok: true, value };
    } catch (e) {
      if (e instanceof AuditorError && e.code === "LEDGER_CALL_REVERTED") {
        return { ok: false, revert: `reverted (${String(e.details["revert"] ?? "no reason")})` };
      }
      throw e;
    }
  };

  // Every comparison is one task; tasks run with bounded concurrency and report progress.
  const tasks: (() => Promise<void>)[] = [];
  const counts = { roots: 1, parties: 0, credentialTypes: 0, accreditations: 0, historyEntries: 0, lists: 0, operators: 0, words: 0 };

  // Root and pending hand-over.
  tasks.push(async () => {
    const r = await view(acc, "root");
    if (!r.ok || show(r.value) !== show(state.root)) mismatch("root", "root", "root", state.root, r.ok ? r.value : r.revert);
    const p = await view(acc, "pendingRoot");
    if (!p.ok) mismatch("root", "pendingRoot", "pendingRoot", state.pendingRoot.newRoot, p.revert);
    else compare("root", "pendingRoot", { newRoot: state.pendingRoot.newRoot, acceptSchedule: state.pendingRoot.acceptSchedule }, { newRoot: p.value[0], acceptSchedule: p.value[1] });
  });

  // Parties: the count, each id's identity, each party's record.
  tasks.push(async () => {
    const c = await view(acc, "partyCount");
    const onChain = c.ok ? Number(c.value) : 0;
    if (!c.ok || onChain !== state.partyIds.length) mismatch("party", "count", "partyCount", state.partyIds.length, c.ok ? onChain : c.revert);
    // Ids only the chain knows are read too: a party registered without an event shows up here.
    for (let id = state.partyIds.length + 1; id <= onChain; id++) {
      const who = await view(acc, "partyIdentity", id);
      mismatch("party", `#${id}`, "identity", "(no PartyRegistered event)", who.ok ? who.value : who.revert);
    }
  });
  for (const p of state.parties.values()) {
    counts.parties++;
    tasks.push(async () => {
      const r = await view(acc, "party", p.identity);
      if (!r.ok) return void mismatch("party", p.identity, "record", "registered", r.revert);
      compare("party", p.identity, { id: p.id, role: p.role, registeredAt: p.registeredAt, registeredBy: p.registeredBy, name: p.name }, {
        id: r.value.id,
        role: enumName(PARTY_ROLES, r.value.role),
        registeredAt: r.value.registeredAt,
        registeredBy: r.value.registeredBy,
        name: r.value.name,
      });
      const who = await view(acc, "partyIdentity", p.id);
      if (!who.ok || show(who.value) !== show(p.identity)) mismatch("party", p.identity, "partyIdentity(id)", p.identity, who.ok ? who.value : who.revert);
    });
  }

  // Credential types: the count, the registration order, each record.
  tasks.push(async () => {
    const c = await view(acc, "credentialTypeCount");
    const onChain = c.ok ? Number(c.value) : 0;
    if (!c.ok || onChain !== state.typeIds.length) mismatch("credentialType", "count", "credentialTypeCount", state.typeIds.length, c.ok ? onChain : c.revert);
    for (let i = 0; i < Math.max(onChain, state.typeIds.length); i++) {
      const at = await view(acc, "credentialTypeAt", i);
      const expected = state.typeIds[i] ?? "(no CredentialTypeRegistered event)";
      if (!at.ok || show(at.value) !== show(expected)) mismatch("credentialType", `#${i}`, "credentialTypeAt", expected, at.ok ? at.value : at.revert);
    }
  });
  for (const t of state.credentialTypes.values()) {
    counts.credentialTypes++;
    tasks.push(async () => {
      const r = await view(acc, "credentialType", t.id);
      if (!r.ok) return void mismatch("credentialType", t.id, "record", "registered", r.revert);
      compare(
        "credentialType",
        t.id,
        { name: t.name, version: t.version, schemaHash: t.schemaHash, schemaUri: t.schemaUri, governingAccreditor: t.governingAccreditor, deprecated: t.deprecated, registeredAt: t.registeredAt },
        { name: r.value.name, version: r.value.version, schemaHash: r.value.schemaHash, schemaUri: r.value.schemaUri, governingAccreditor: r.value.governingAccreditor, deprecated: r.value.deprecated, registeredAt: r.value.registeredAt },
      );
    });
  }

  // Accreditation records, and each earlier version.
  const accreditationFields = (a: ViewResult) => ({
    status: enumName(ACCREDITATION_STATUSES, a.status),
    validFrom: a.validFrom,
    validUntil: a.validUntil,
    since: a.since,
    grantor: a.grantor,
    changedBy: a.changedBy,
    reason: a.reason,
    changes: a.changes,
  });
  const expectedFields = (a: RebuiltAccreditation) => ({ ...a });
  for (const record of state.accreditations.values()) {
    counts.accreditations++;
    const key = `${record.party}|${record.credentialType}`;
    tasks.push(async () => {
      const r = await view(acc, "accreditation", record.party, record.credentialType);
      if (!r.ok) return void mismatch("accreditation", key, "record", "exists", r.revert);
      compare("accreditation", key, expectedFields(record.current), accreditationFields(r.value));
    });
    if (params.checkHistory === false) continue;
    record.history.forEach((version, index) => {
      counts.historyEntries++;
      tasks.push(async () => {
        const r = await view(acc, "accreditationHistory", record.party, record.credentialType, index);
        if (!r.ok) return void mismatch("accreditationHistory", `${key}#${index}`, "record", "exists", r.revert);
        compare("accreditationHistory", `${key}#${index}`, expectedFields(version), accreditationFields(r.value));
      });
    });
  }

  // Status lists: the count (and any list only the chain knows), each record, each operator grant.
  tasks.push(async () => {
    const c = await view(status, "listCount");
    const onChain = c.ok ? Number(c.value) : 0;
    if (!c.ok || onChain !== state.lists.size) mismatch("statusList", "count", "listCount", state.lists.size, c.ok ? onChain : c.revert);
    for (let id = state.lists.size + 1; id <= onChain; id++) {
      mismatch("statusList", `list ${id}`, "exists", "(no StatusListCreated event)", "exists");
    }
  });
  for (const l of state.lists.values()) {
    counts.lists++;
    tasks.push(async () => {
      const r = await view(status, "statusList", l.listId);
      if (!r.ok) return void mismatch("statusList", `list ${l.listId}`, "record", "exists", r.revert);
      compare(
        "statusList",
        `list ${l.listId}`,
        { issuer: l.issuer, purpose: l.purpose, sizeLog2: l.sizeLog2, createdAt: l.createdAt, createdBlock: l.createdBlock },
        { issuer: r.value.issuer, purpose: enumName(LIST_PURPOSES, r.value.purpose), sizeLog2: r.value.sizeLog2, createdAt: r.value.createdAt, createdBlock: r.value.createdBlock },
      );
    });
  }
  for (const o of state.operators.values()) {
    counts.operators++;
    tasks.push(async () => {
      const r = await view(status, "isOperator", o.listId, o.operator);
      if (!r.ok || Boolean(r.value) !== o.allowed) mismatch("operator", `list ${o.listId} operator ${o.operator}`, "allowed", o.allowed, r.ok ? Boolean(r.value) : r.revert);
    });
  }

  // Status words, in reads of up to 4,096 words.
  const wordReads: { listId: bigint; from: bigint; count: number }[] = [];
  for (const l of [...state.lists.values()].sort((a, b) => (a.listId < b.listId ? -1 : 1))) {
    if (l.sizeLog2 < 8) continue; // an anomaly already reported: the list cannot be read as words
    const wordCount = 1n << BigInt(l.sizeLog2 - 8);
    if (params.words === "touched") {
      for (const w of [...(state.words.get(l.listId)?.keys() ?? [])].sort((a, b) => (a < b ? -1 : 1))) {
        if (w < wordCount) wordReads.push({ listId: l.listId, from: w, count: 1 });
      }
    } else {
      for (let from = 0n; from < wordCount; from += BigInt(WORDS_PER_READ)) {
        const count = Number(wordCount - from < BigInt(WORDS_PER_READ) ? wordCount - from : BigInt(WORDS_PER_READ));
        wordReads.push({ listId: l.listId, from, count });
      }
    }
  }
  const totalWords = wordReads.reduce((s, r) => s + r.count, 0);
  const wordTasks = wordReads.map((read) => async () => {
    const r = await view(status, "words", read.listId, read.from, read.count);
    if (!r.ok) return void mismatch("statusWord", `list ${read.listId} words ${read.from}+${read.count}`, "words", "readable", r.revert);
    const got = [...(r.value as unknown as readonly bigint[])];
    const expectedWords = state.words.get(read.listId);
    for (let i = 0; i < read.count; i++) {
      const w = read.from + BigInt(i);
      const expected = expectedWords?.get(w) ?? 0n;
      const actual = BigInt(got[i] ?? 0n);
      if (expected !== actual) {
        mismatch("statusWord", `list ${read.listId} word ${w}`, "bits", hexWord(expected), hexWord(actual), `entries differing: ${differingEntries(w, expected ^ actual)}`);
      }
    }
    counts.words += read.count;
  });

  await mapLimit(tasks, ledger.concurrency, (t) => t(), (done) => onProgress?.({ phase: "calls", done, total: tasks.length }));
  let wordsDone = 0;
  await mapLimit(wordTasks, ledger.concurrency, (t, i) => t().then(() => void (wordsDone += wordReads[i]?.count ?? 0)), () =>
    onProgress?.({ phase: "words", done: wordsDone, total: totalWords }),
  );

  mismatches.sort((a, b) => MISMATCH_SUBJECTS.indexOf(a.subject) - MISMATCH_SUBJECTS.indexOf(b.subject) || compareKeys(a.key, b.key) || compareText(a.field, b.field));
  const records = counts.roots + counts.parties + counts.credentialTypes + counts.accreditations + counts.historyEntries + counts.lists + counts.operators;
  const header = await reportHeader(ledger, atBlock);
  const consistent = mismatches.length === 0;
  const tail = `${records} records, ${counts.words} words checked at block ${atBlock}`;
  return {
    kind: "consistency",
    ...header,
    consistent,
    eventsToBlock: events.reduce((m, e) => Math.max(m, e.blockNumber), 0),
    eventCount: events.length,
    checked: { ...counts, records },
    mismatches,
    summary: consistent ? `consistent: ${tail}` : `INCONSISTENT: ${mismatches.length} mismatch${mismatches.length === 1 ? "" : "es"} in ${tail}`,
  };
}

/** An ethers `Result` as returned by a view: positional and named access. */
type ViewResult = Readonly<Record<string | number, unknown>>;

function enumName(names: readonly string[], v: unknown): string {
  return names[Number(v)] ?? `UNKNOWN(${String(v)})`;
}

/** The canonical text of a compared value: addresses checksummed, numbers in decimal, hex in lower case. */
function show(v: unknown): string {
  if (typeof v === "bigint" || typeof v === "number") return v.toString();
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") {
    if (/^0x[0-9a-fA-F]{40}$/.test(v)) return checksumAddress(v);
    if (/^0x[0-9a-fA-F]*$/.test(v)) return v.toLowerCase();
    return v;
  }
  return String(v);
}

function hexWord(w: bigint): string {
  return `0x${w.toString(16).padStart(64, "0")}`;
}

function differingEntries(word: bigint, diff: bigint): string {
  const out: string[] = [];
  for (let b = 0n; b < 256n && out.length <= 16; b++) {
    if ((diff >> b) & 1n) out.push((word * 256n + b).toString());
  }
  return out.length > 16 ? `${out.slice(0, 16).join(", ")}, …` : out.join(", ");
}

/** Keys sort with embedded numbers in numeric order (`list 2 word 10` after `list 2 word 9`). */
function compareKeys(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] ?? "";
    const y = pb[i] ?? "";
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return x.length - y.length || compareText(x, y);
    return compareText(x, y);
  }
  return pa.length - pb.length;
}
