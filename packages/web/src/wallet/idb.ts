/**
 * The web wallet's second IndexedDB database, beside the wallet package's envelope (`storage.ts`): what a browser
 * keeps that the portable wallet file cannot hold. `keys` holds non-extractable WebCrypto keys as `CryptoKey`
 * objects (IndexedDB stores them by structured clone; their private bytes never reach JavaScript); `records`
 * holds ciphertext (the SD-JWT VC copies) and the unlock configuration (salts, wrapped secrets).
 */
const DB_VERSION = 1;
export const KEYS = "keys";
export const RECORDS = "records";

/** A small promise-based view of one IndexedDB database with the two stores above. */
export interface DeviceDb {
  get<T>(store: typeof KEYS | typeof RECORDS, key: string): Promise<T | undefined>;
  put(store: typeof KEYS | typeof RECORDS, key: string, value: unknown): Promise<void>;
  delete(store: typeof KEYS | typeof RECORDS, key: string): Promise<void>;
  keys(store: typeof KEYS | typeof RECORDS): Promise<string[]>;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

function result<T>(request: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result as T);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB request failed"));
  });
}

/**
 * Opens (creating if needed) the device database.
 *
 * @example
 * ```ts
 * const db = deviceDb();
 * await db.put("records", "unlock", config);
 * ```
 */
export function deviceDb(name = "mobile-id-device"): DeviceDb {
  let opened: Promise<IDBDatabase> | undefined;
  const open = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, DB_VERSION);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(KEYS);
        request.result.createObjectStore(RECORDS);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error("IndexedDB open failed"));
      request.onblocked = () => reject(new Error("IndexedDB is blocked by another tab"));
    }));
  return {
    async get<T>(store: string, key: string) {
      const db = await open();
      return result<T | undefined>(db.transaction(store, "readonly").objectStore(store).get(key));
    },
    async put(store, key, value) {
      const db = await open();
      const tx = db.transaction(store, "readwrite", { durability: "strict" });
      tx.objectStore(store).put(value, key);
      await done(tx);
    },
    async delete(store, key) {
      const db = await open();
      const tx = db.transaction(store, "readwrite", { durability: "strict" });
      tx.objectStore(store).delete(key);
      await done(tx);
    },
    async keys(store) {
      const db = await open();
      const keys = await result<IDBValidKey[]>(db.transaction(store, "readonly").objectStore(store).getAllKeys());
      return keys.map(String);
    },
  };
}
