import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { WalletStorage } from "./storage.ts";

export interface FileWalletStorageParameters {
  /** The wallet file. Its directory is created (mode 0700) if missing. */
  readonly path: string;
}

/**
 * A wallet file on disk. Writes are atomic and durable: the bytes go to a temporary file in the same directory
 * (mode 0600, created exclusively), which is fsynced, renamed over the wallet file, and the directory is fsynced
 * so that the rename itself survives a power cut.
 *
 * @example
 * ```ts
 * const storage = fileWalletStorage({ path: `${homedir()}/.mobile-id/wallet.midw` });
 * const wallet = await openWallet({ storage, passphrase });
 * ```
 */
export function fileWalletStorage(params: FileWalletStorageParameters): WalletStorage {
  const { path } = params;
  const dir = dirname(path);
  return {
    async read() {
      try {
        return new Uint8Array(await readFile(path));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw e;
      }
    },
    async write(bytes) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const temp = join(dir, `.${basename(path)}.${randomBytes(8).toString("hex")}.tmp`);
      const handle = await open(temp, "wx", 0o600);
      try {
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, path);
      } catch (e) {
        await unlink(temp).catch(() => undefined);
        throw e;
      }
      await syncDirectory(dir);
    },
  };
}

async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
  } catch {
    return; // Platforms that cannot open a directory (Windows) make rename durable by other means.
  }
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename has happened either way.
  } finally {
    await handle.close();
  }
}
