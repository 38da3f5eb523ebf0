import { createHash } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { NetworkDescriptor } from "@mobile-id/core";
import type { LedgerMirror, MirrorReplayRecord, MirrorStateExport } from "./LedgerMirror.ts";

/**
 * The verifier's ledger replica on disk: a {@link LedgerMirror}'s state saved so that a restart catches up from
 * its last head instead of from the deployment blocks, and a verifier keeps the state it had.
 *
 * File layout (version 1), all integers big-endian:
 * - 8 bytes magic `MIDREPL1`, 4 bytes format version, 4 bytes header length `h`;
 * - `h` bytes of JSON: chain id, descriptor fingerprint, head, confirmedAt, the replayed events (bigints tagged),
 *   and for each written list its id and byte length;
 * - each list's bytes, in the header's order (bit `i % 8` of byte `i / 8` is entry `i`);
 * - 32 bytes: SHA-256 of everything before.
 *
 * A file that is damaged (checksum, magic, version, shape) or made for another chain or descriptor is refused
 * ({@link SnapshotRefusedError}) and never opened as if valid; the mirror then syncs from zero.
 */

const MAGIC = Buffer.from("MIDREPL1", "latin1");
/** The snapshot format this code writes and reads. */
export const MIRROR_SNAPSHOT_VERSION = 1;
const PREFIX = MAGIC.length + 8;
const DIGEST = 32;

/** Why a snapshot file was not used. */
export class SnapshotRefusedError extends Error {
  override readonly name = "SnapshotRefusedError";
  readonly reason: "damaged" | "version" | "foreign-chain" | "foreign-descriptor";
  constructor(reason: SnapshotRefusedError["reason"], message: string) {
    super(message);
    this.reason = reason;
  }
}

type Descriptor = Pick<NetworkDescriptor, "chainId" | "contracts">;

/**
 * A digest of what identifies the ledger a replica mirrors: chain id, the three contracts and their deployment
 * blocks. A snapshot made under another descriptor is refused.
 *
 * @example
 * ```ts
 * descriptorFingerprint(descriptor) // "9f86d0…"
 * ```
 */
export function descriptorFingerprint(descriptor: Descriptor): string {
  const c = descriptor.contracts;
  const parts = [descriptor.chainId, ...(["didRegistry", "accreditationRegistry", "statusRegistry"] as const).map((k) => `${c[k].address.toLowerCase()}@${c[k].deployBlock}`)];
  return createHash("sha256").update(parts.join("|")).digest("hex");
}

interface Header {
  readonly chainId: number;
  readonly descriptor: string;
  readonly head: MirrorStateExport["head"];
  readonly confirmedAt: number;
  readonly replay: readonly MirrorReplayRecord[];
  readonly lists: readonly { readonly listId: string; readonly bytes: number }[];
}

const BIGINT_TAG = "$bigint";
const replacer = (_k: string, v: unknown) => (typeof v === "bigint" ? { [BIGINT_TAG]: v.toString() } : v);
const reviver = (_k: string, v: unknown) => {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const keys = Object.keys(v);
    const tagged = (v as Record<string, unknown>)[BIGINT_TAG];
    if (keys.length === 1 && typeof tagged === "string" && /^-?\d+$/.test(tagged)) return BigInt(tagged);
  }
  return v;
};

/**
 * Encodes a mirror's exported state as a snapshot file's bytes (see the layout above). Pure.
 *
 * @example
 * ```ts
 * const bytes = encodeMirrorSnapshot(mirror.exportState()!, descriptor);
 * ```
 */
export function encodeMirrorSnapshot(state: MirrorStateExport, descriptor: Descriptor): Buffer {
  const header: Header = {
    chainId: descriptor.chainId,
    descriptor: descriptorFingerprint(descriptor),
    head: state.head,
    confirmedAt: state.confirmedAt,
    replay: state.replay,
    lists: state.lists.map((l) => ({ listId: l.listId.toString(), bytes: l.bits.length })),
  };
  const json = Buffer.from(JSON.stringify(header, replacer), "utf8");
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32BE(MIRROR_SNAPSHOT_VERSION, MAGIC.length);
  prefix.writeUInt32BE(json.length, MAGIC.length + 4);
  const body = Buffer.concat([prefix, json, ...state.lists.map((l) => l.bits)]);
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}

/**
 * Decodes and checks a snapshot file's bytes against the descriptor the mirror serves. Throws
 * {@link SnapshotRefusedError} for anything but an intact snapshot of this format, chain and descriptor. Pure.
 *
 * @example
 * ```ts
 * mirror.importState(decodeMirrorSnapshot(readFileSync(file), descriptor));
 * ```
 */
export function decodeMirrorSnapshot(bytes: Uint8Array, descriptor: Descriptor): MirrorStateExport {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < PREFIX + DIGEST || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SnapshotRefusedError("damaged", "not a ledger replica snapshot (bad magic or truncated)");
  }
  const body = buf.subarray(0, buf.length - DIGEST);
  if (!createHash("sha256").update(body).digest().equals(buf.subarray(buf.length - DIGEST))) {
    throw new SnapshotRefusedError("damaged", "the snapshot's checksum does not match its contents");
  }
  const version = buf.readUInt32BE(MAGIC.length);
  if (version !== MIRROR_SNAPSHOT_VERSION) throw new SnapshotRefusedError("version", `snapshot format ${version}, this verifier reads ${MIRROR_SNAPSHOT_VERSION}`);
  const length = buf.readUInt32BE(MAGIC.length + 4);
  if (PREFIX + length > body.length) throw new SnapshotRefusedError("damaged", "the snapshot's header runs past its end");
  let header: Header;
  try {
    header = JSON.parse(body.subarray(PREFIX, PREFIX + length).toString("utf8"), reviver) as Header;
  } catch {
    throw new SnapshotRefusedError("damaged", "the snapshot's header is not JSON");
  }
  if (header.chainId !== descriptor.chainId) {
    throw new SnapshotRefusedError("foreign-chain", `the snapshot mirrors chain ${header.chainId}, this verifier serves chain ${descriptor.chainId}`);
  }
  if (header.descriptor !== descriptorFingerprint(descriptor)) {
    throw new SnapshotRefusedError("foreign-descriptor", "the snapshot was made for other contracts (another network descriptor)");
  }
  const head = header.head;
  if (
    head === null ||
    typeof head !== "object" ||
    !Number.isSafeInteger(head.blockNumber) ||
    typeof head.blockHash !== "string" ||
    !/^0x[0-9a-f]{64}$/i.test(head.blockHash) ||
    !Number.isSafeInteger(head.timestamp) ||
    !Number.isSafeInteger(header.confirmedAt) ||
    !Array.isArray(header.replay) ||
    !Array.isArray(header.lists)
  ) {
    throw new SnapshotRefusedError("damaged", "the snapshot's header lacks its head or contents");
  }
  let at = PREFIX + length;
  const lists = header.lists.map((l) => {
    if (typeof l.listId !== "string" || !/^\d+$/.test(l.listId) || !Number.isSafeInteger(l.bytes) || l.bytes < 0 || at + l.bytes > body.length) {
      throw new SnapshotRefusedError("damaged", "the snapshot's list table does not match its contents");
    }
    // A copy: the mirror owns its lists' bytes.
    const bits = new Uint8Array(body.subarray(at, at + l.bytes));
    at += l.bytes;
    return { listId: BigInt(l.listId), bits };
  });
  if (at !== body.length) throw new SnapshotRefusedError("damaged", "the snapshot has bytes past its lists");
  return { head, confirmedAt: header.confirmedAt, replay: header.replay, lists };
}

/**
 * Writes `bytes` to `path` atomically: a temporary file (mode 0600) in the same directory, fsync, rename over
 * `path`, fsync of the directory. A crash leaves the old file or the new one, never a mix.
 *
 * @example
 * ```ts
 * writeFileAtomic("/var/lib/mobile-id/verifier/ledger-replica.bin", bytes);
 * ```
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", 0o600);
  try {
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(temp, path);
  const dfd = openSync(dir, "r");
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

/**
 * {@link writeFileAtomic} without blocking the event loop on the disk (the periodic save of a large replica).
 *
 * @example
 * ```ts
 * await writeFileAtomicAsync(path, bytes);
 * ```
 */
export async function writeFileAtomicAsync(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  const file = await open(temp, "w", 0o600);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } catch (e) {
    await file.close();
    await rm(temp, { force: true });
    throw e;
  }
  await file.close();
  await rename(temp, path);
  const d = await open(dir, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** What {@link loadMirrorSnapshot} did. */
export type SnapshotLoadResult =
  | { readonly loaded: true; readonly head: MirrorStateExport["head"]; readonly bytes: number }
  | { readonly loaded: false; readonly reason: "missing" | SnapshotRefusedError["reason"] | "unreadable" | "replay"; readonly message: string };

/**
 * Loads the snapshot at `path` into a mirror that has not started (see {@link LedgerMirror.importState}). A
 * missing file is a first start; a refused or unreplayable one is reported and leaves the mirror empty (it then
 * syncs from zero). Never throws for the file's contents.
 *
 * @example
 * ```ts
 * const r = loadMirrorSnapshot(mirror, file, descriptor);
 * if (!r.loaded && r.reason !== "missing") log.warn(r.message);
 * await mirror.start();
 * ```
 */
export function loadMirrorSnapshot(mirror: Pick<LedgerMirror, "importState">, path: string, descriptor: Descriptor): SnapshotLoadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { loaded: false, reason: "missing", message: `no ledger replica at ${path}` };
    return { loaded: false, reason: "unreadable", message: `the ledger replica ${path} cannot be read: ${(e as Error).message}` };
  }
  let state: MirrorStateExport;
  try {
    state = decodeMirrorSnapshot(bytes, descriptor);
  } catch (e) {
    if (e instanceof SnapshotRefusedError) return { loaded: false, reason: e.reason, message: `the ledger replica ${path} is refused: ${e.message}` };
    return { loaded: false, reason: "damaged", message: `the ledger replica ${path} is refused: ${(e as Error).message}` };
  }
  try {
    mirror.importState(state);
  } catch (e) {
    return { loaded: false, reason: "replay", message: `the ledger replica ${path} does not replay: ${(e as Error).message}` };
  }
  return { loaded: true, head: state.head, bytes: bytes.length };
}

export interface MirrorSnapshotWriterParameters {
  readonly mirror: Pick<LedgerMirror, "exportState">;
  readonly path: string;
  readonly descriptor: Descriptor;
  /** Save once the head moved this many blocks since the last save. Default 1,000. */
  readonly everyBlocks?: number;
  /** Save at least this often (ms) when the head moved at all. Default 60,000. */
  readonly everyMs?: number;
  /** How often to look (ms). Default 5,000. */
  readonly checkMs?: number;
  readonly onError?: (error: unknown) => void;
  readonly onSaved?: (saved: { readonly blockNumber: number; readonly bytes: number; readonly ms: number }) => void;
}

/**
 * Saves a mirror's state to its snapshot file periodically (every `everyBlocks` blocks or `everyMs`, whichever
 * first, only when the head moved) and on {@link stop}. Saving runs on a timer, never inside a verification.
 *
 * @example
 * ```ts
 * const writer = startMirrorSnapshotWriter({ mirror, path, descriptor });
 * // ...
 * await writer.stop(); // a last save
 * ```
 */
export function startMirrorSnapshotWriter(params: MirrorSnapshotWriterParameters) {
  const everyBlocks = params.everyBlocks ?? 1000;
  const everyMs = params.everyMs ?? 60_000;
  const checkMs = params.checkMs ?? 5_000;
  let savedBlock: number | undefined;
  let savedAt = Date.now();
  let stopped = false;
  /** A periodic save under way (its disk writes are asynchronous). */
  let writing: Promise<void> | undefined;

  /** The state to save now, or `undefined` when nothing moved (or, unless forced, nothing is due). */
  const due = (force: boolean) => {
    const state = params.mirror.exportState();
    if (state === undefined) return undefined;
    const moved = savedBlock === undefined ? true : state.head.blockNumber !== savedBlock;
    const isDue = savedBlock === undefined || state.head.blockNumber - savedBlock >= everyBlocks || Date.now() - savedAt >= everyMs;
    return !moved || (!force && !isDue) ? undefined : state;
  };
  const saved = (blockNumber: number, bytes: number, t: number) => {
    savedBlock = blockNumber;
    savedAt = Date.now();
    params.onSaved?.({ blockNumber, bytes, ms: performance.now() - t });
  };
  const save = (force: boolean): boolean => {
    const state = due(force);
    if (state === undefined) return false;
    const t = performance.now();
    const bytes = encodeMirrorSnapshot(state, params.descriptor);
    writeFileAtomic(params.path, bytes);
    saved(state.head.blockNumber, bytes.length, t);
    return true;
  };
  const tick = () => {
    if (stopped || writing !== undefined) return;
    const state = due(false);
    if (state === undefined) return;
    const t = performance.now();
    const bytes = encodeMirrorSnapshot(state, params.descriptor);
    writing = writeFileAtomicAsync(params.path, bytes)
      .then(() => saved(state.head.blockNumber, bytes.length, t))
      .catch((e: unknown) => params.onError?.(e))
      .finally(() => {
        writing = undefined;
      });
  };
  const timer = setInterval(tick, checkMs);
  timer.unref();
  return {
    /** Waits for a periodic save under way. */
    settled: async (): Promise<void> => {
      await writing;
    },
    /** Saves now if the head moved since the last save; returns whether it wrote. */
    saveNow: (): boolean => save(true),
    /** Stops the timer without saving. */
    cancel: (): void => {
      stopped = true;
      clearInterval(timer);
    },
    /** Stops the timer and saves a last time (errors reported, not thrown). */
    stop: async (): Promise<void> => {
      stopped = true;
      clearInterval(timer);
      await writing;
      try {
        save(true);
      } catch (e) {
        params.onError?.(e);
      }
    },
  };
}

export type MirrorSnapshotWriter = ReturnType<typeof startMirrorSnapshotWriter>;
