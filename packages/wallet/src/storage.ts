/**
 * Where the encrypted wallet lives. The wallet only ever stores whole envelopes (already encrypted), so a
 * storage sees ciphertext only. Implementations: {@link memoryWalletStorage} here (tests, and a template for
 * the browser's IndexedDB), `fileWalletStorage` for Node.
 */
export interface WalletStorage {
  /** The stored envelope, or `undefined` when nothing is stored. */
  read(): Promise<Uint8Array | undefined>;
  /** Replaces the stored envelope atomically: after a crash, a reader sees either the old or the new bytes. */
  write(bytes: Uint8Array): Promise<void>;
}

/**
 * A storage in memory (copies in and out, so callers cannot alias the stored bytes).
 *
 * @example
 * ```ts
 * const wallet = await createWallet({ storage: memoryWalletStorage(), passphrase, chainId: 31337 });
 * ```
 */
export function memoryWalletStorage(initial?: Uint8Array): WalletStorage & { readonly bytes: Uint8Array | undefined } {
  let stored = initial === undefined ? undefined : Uint8Array.from(initial);
  return {
    get bytes() {
      return stored === undefined ? undefined : Uint8Array.from(stored);
    },
    read: () => Promise.resolve(stored === undefined ? undefined : Uint8Array.from(stored)),
    write: (bytes) => {
      stored = Uint8Array.from(bytes);
      return Promise.resolve();
    },
  };
}
