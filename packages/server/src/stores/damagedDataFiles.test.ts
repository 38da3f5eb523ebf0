import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isMobileIdError } from "@mobile-id/core";
import { createSqliteNonceStore, openNonceDatabase } from "@mobile-id/verifier";
import { openDataFile } from "@mobile-id/core/data-files";
import { openDatabase } from "./database.ts";
import { createRequestStore } from "./requestStore.ts";

describe("damaged data files", () => {
  const dir = mkdtempSync(join(tmpdir(), "mid-damaged-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const garbage = (name: string) => {
    const path = join(dir, name);
    writeFileSync(path, "this is not an SQLite database, it was overwritten by something else ".repeat(100));
    return path;
  };
  const failure = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    throw new Error("expected a failure");
  };

  it("a damaged nonce or request database stops the start with DATA_FILE_DAMAGED, its path and a hint", () => {
    const nonces = garbage("nonces.sqlite");
    const e = failure(() => openDataFile(nonces, "the consumed-challenge database", () => createSqliteNonceStore(openNonceDatabase(nonces))));
    expect(isMobileIdError(e, "DATA_FILE_DAMAGED")).toBe(true);
    expect(isMobileIdError(e) && e.details).toMatchObject({ path: nonces });
    expect(isMobileIdError(e) && e.hint).toMatch(/backup/);
    const requests = garbage("verifier.sqlite");
    expect(isMobileIdError(failure(() => openDataFile(requests, "requests", () => createRequestStore(openDatabase(requests)))), "DATA_FILE_DAMAGED")).toBe(true);
  });

  it("a request database of another shape (a readable SQLite file, not ours) stops the start with DATA_FILE_DAMAGED", () => {
    const path = join(dir, "other.sqlite");
    const db = openDatabase(path);
    db.exec("CREATE TABLE presentation_requests (id TEXT PRIMARY KEY) STRICT");
    const e = failure(() => openDataFile(path, "the verifier's request database", () => createRequestStore(db)));
    db.close();
    expect(isMobileIdError(e, "DATA_FILE_DAMAGED")).toBe(true);
    expect(isMobileIdError(e) && e.details).toMatchObject({ path });
    expect(isMobileIdError(e) && e.hint).toMatch(/backup/);
  });
});
