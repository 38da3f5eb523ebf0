/**
 * The wallet's `WalletStorage` in the browser: IndexedDB, one record holding the encrypted envelope (the same
 * bytes the wallet package writes to a file in Node). The store only ever sees ciphertext.
 */
import type { WalletStorage } from "@mobile-id/wallet/browser";

const DB_VERSION = 1;
const STORE = "envelopes";

function openDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, DB_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB open failed"));
    request.onblocked = () => reject(new Error("IndexedDB is blocked by another tab"));
  });
}

/**
 * @example
 * ```ts
 * const wallet = await openWallet({ storage: indexedDbWalletStorage(), passphrase });
 * ```
 */
export function indexedDbWalletStorage(params: { readonly database?: string; readonly key?: string } = {}): WalletStorage {
  const database = params.database ?? "mobile-id-wallet";
  const key = params.key ?? "wallet";
  let db: Promise<IDBDatabase> | undefined;
  const connection = () => (db ??= openDb(database));
  return {
    async read() {
      const conn = await connection();
      return new Promise<Uint8Array | undefined>((resolve, reject) => {
        const request = conn.transaction(STORE, "readonly").objectStore(STORE).get(key);
        request.onsuccess = () => {
          const value: unknown = request.result;
          resolve(value instanceof Uint8Array ? Uint8Array.from(value) : value instanceof ArrayBuffer ? new Uint8Array(value.slice(0)) : undefined);
        };
        request.onerror = () => reject(request.error ?? new Error("IndexedDB read failed"));
      });
    },
    async write(bytes) {
      const conn = await connection();
      // One put in one transaction: IndexedDB commits it whole or not at all. `strict` durability asks the
      // browser to flush to disk before reporting completion (the wallet treats a resolved write as saved).
      const tx = conn.transaction(STORE, "readwrite", { durability: "strict" });
      tx.objectStore(STORE).put(Uint8Array.from(bytes), key);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error("IndexedDB write failed"));
        tx.onabort = () => reject(tx.error ?? new Error("IndexedDB write aborted"));
      });
    },
  };
}

/** Whether a wallet is stored, without opening it. */
export async function hasStoredWallet(storage: WalletStorage): Promise<boolean> {
  return (await storage.read()) !== undefined;
}
