import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSqliteNonceStore, openNonceDatabase } from "./sqliteNonceStore.ts";

describe("createSqliteNonceStore", () => {
  it("accepts a challenge once, and remembers it across a reopen (a restart)", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "mid-nonce-")), "nonces.sqlite");
    const first = createSqliteNonceStore(openNonceDatabase(path), () => 1000);
    expect(await first.consume("c1", 2000)).toBe(true);
    expect(await first.consume("c1", 2000)).toBe(false);
    expect(await first.consume("c2", 2000)).toBe(true);
    const reopened = createSqliteNonceStore(openNonceDatabase(path), () => 1001);
    expect(await reopened.consume("c1", 2000)).toBe(false);
    expect(await reopened.consume("c3", 2000)).toBe(true);
  });

  it("lets exactly one of many concurrent consumers of one challenge win", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "mid-nonce-")), "nonces.sqlite");
    const stores = Array.from({ length: 4 }, () => createSqliteNonceStore(openNonceDatabase(path), () => 1000));
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 4]!.consume("same", 2000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
