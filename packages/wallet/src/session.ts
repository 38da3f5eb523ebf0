/**
 * An unlocked wallet: the decrypted state, the derived encryption key and the storage, held out of reach of
 * callers (a module-private WeakMap), so that logging or serialising a `Wallet` never prints keys or claims.
 * Every change goes through {@link mutateWallet}: one at a time, computed on a copy, written (compare-and-swap
 * against the bytes this session last saw) and only then adopted in memory, so a failed write changes nothing.
 */
import { equalBytes } from "@noble/ciphers/utils";
import { sha256 } from "@noble/hashes/sha2";
import { type Clock, MobileIdError, systemClock } from "@mobile-id/core/browser";
import { EnvelopeKind, sealEnvelope } from "./envelope.ts";
import { walletError } from "./errors.ts";
import { type DerivedKeys, type KdfFloor, wipeKeys } from "./kdf.ts";
import { type WalletState, encodeState } from "./state.ts";
import type { WalletStorage } from "./storage.ts";

/**
 * An open wallet. Its public fields are safe to show and log; everything secret stays inside the package.
 * Obtain one from `createWallet`, `openWallet` or `restoreWallet`; pass it to the other functions.
 */
export interface Wallet {
  /** The holder DID (public-key `did:ethr` of the first key); stable across key rotations. */
  readonly did: string;
  readonly chainId: number;
  /** The ERC-1056 identity address behind the DID. */
  readonly identity: string;
  /** Address of the key that signs presentations now. */
  readonly signingKeyAddress: string;
  /** Address of the key an interrupted rotation is handing ownership to, if any. */
  readonly pendingKeyAddress: string | undefined;
  /** How many times this wallet has been saved; only ever grows (rollback protection for backups). */
  readonly generation: number;
  readonly locked: boolean;
}

export interface Session {
  readonly storage: WalletStorage;
  state: WalletState;
  generation: number;
  keys: DerivedKeys;
  /** SHA-256 of the envelope bytes this session last read or wrote (for compare-and-swap). */
  storedDigest: Uint8Array;
  readonly floor: KdfFloor;
  readonly now: Clock;
  queue: Promise<unknown>;
  locked: boolean;
}

const sessions = new WeakMap<object, Session>();

class WalletHandle implements Wallet {
  get #session(): Session {
    const s = sessions.get(this);
    if (s === undefined) throw new MobileIdError("INVALID_ARGUMENT", "not a wallet");
    return s;
  }
  get did(): string {
    return this.#session.state.did;
  }
  get chainId(): number {
    return this.#session.state.chainId;
  }
  get identity(): string {
    return this.#session.state.identity;
  }
  get signingKeyAddress(): string {
    return this.#session.state.keys.find((k) => k.status === "current")?.address ?? "";
  }
  get pendingKeyAddress(): string | undefined {
    return this.#session.state.keys.find((k) => k.status === "pending")?.address;
  }
  get generation(): number {
    return this.#session.generation;
  }
  get locked(): boolean {
    return this.#session.locked;
  }
  toJSON(): Record<string, unknown> {
    return { did: this.did, chainId: this.chainId, generation: this.generation, locked: this.locked };
  }
}

/** Wraps a freshly opened session in a handle. */
export function newWallet(params: {
  readonly storage: WalletStorage;
  readonly state: WalletState;
  readonly generation: number;
  readonly keys: DerivedKeys;
  readonly storedBytes: Uint8Array;
  readonly floor: KdfFloor;
  readonly now: Clock | undefined;
}): Wallet {
  const handle = new WalletHandle();
  sessions.set(handle, {
    storage: params.storage,
    state: params.state,
    generation: params.generation,
    keys: params.keys,
    storedDigest: sha256(params.storedBytes),
    floor: params.floor,
    now: params.now ?? systemClock,
    queue: Promise.resolve(),
    locked: false,
  });
  return handle;
}

/** The unlocked session behind `wallet` (`WALLET_LOCKED` after {@link lockWallet}). */
export function sessionOf(wallet: Wallet): Session {
  const s = sessions.get(wallet);
  if (s === undefined) throw new MobileIdError("INVALID_ARGUMENT", "not a wallet opened by this package");
  if (s.locked) throw walletError("WALLET_LOCKED", "the wallet is locked");
  return s;
}

/** Runs `task` after every earlier task of this session has finished. */
export function serialized<T>(session: Session, task: () => Promise<T>): Promise<T> {
  const run = session.queue.then(() => {
    if (session.locked) throw walletError("WALLET_LOCKED", "the wallet is locked");
    return task();
  });
  session.queue = run.catch(() => undefined);
  return run;
}

/**
 * Saves `next` as a new generation, then adopts it. Must run inside {@link serialized}. Refuses with
 * `WALLET_STALE` when the stored bytes are not the ones this session last saw (another session or process
 * wrote the file; writing now would silently roll its changes back).
 */
export async function persist(session: Session, next: WalletState, options: { readonly generation?: number } = {}): Promise<void> {
  const stored = await session.storage.read();
  if (stored === undefined || !equalBytes(sha256(stored), session.storedDigest)) {
    throw walletError("WALLET_STALE", "the wallet file changed since it was opened", {
      hint: "open the wallet again",
    });
  }
  const generation = options.generation ?? session.generation + 1;
  const bytes = sealEnvelope({ kind: EnvelopeKind.WALLET, generation, keys: session.keys, plaintext: encodeState(next) });
  await session.storage.write(bytes);
  session.state = next;
  session.generation = generation;
  session.storedDigest = sha256(bytes);
}

/**
 * Computes a new state from the current one and saves it, one change at a time. `change` returns the next
 * state (or `undefined` to save nothing) and a result.
 */
export function mutateWallet<T>(
  wallet: Wallet,
  change: (state: WalletState, session: Session) => Promise<{ readonly next: WalletState | undefined; readonly result: T }>,
): Promise<T> {
  const session = sessionOf(wallet);
  return serialized(session, async () => {
    const { next, result } = await change(session.state, session);
    if (next !== undefined) await persist(session, next);
    return result;
  });
}

/** The current state for a read-only operation. */
export function readWallet(wallet: Wallet): { readonly state: WalletState; readonly now: Clock; readonly session: Session } {
  const session = sessionOf(wallet);
  return { state: session.state, now: session.now, session };
}

export interface LockWalletParameters {
  readonly wallet: Wallet;
}

/**
 * Forgets the decrypted state and overwrites the derived key in memory. The handle is unusable afterwards
 * (`WALLET_LOCKED`); open the wallet again with the passphrase.
 *
 * @example
 * ```ts
 * await lockWallet({ wallet }); // e.g. when the app goes to the background
 * ```
 */
export async function lockWallet(params: LockWalletParameters): Promise<void> {
  const session = sessions.get(params.wallet);
  if (session === undefined || session.locked) return;
  await session.queue;
  session.locked = true;
  wipeKeys(session.keys);
  // Keep only what the handle shows; credentials and private keys become unreachable (strings cannot be
  // overwritten in JavaScript, the garbage collector reclaims them).
  session.state = {
    ...session.state,
    keys: session.state.keys.map(({ privateKey: _privateKey, ...publicPart }) => publicPart),
    credentials: [],
  };
}
