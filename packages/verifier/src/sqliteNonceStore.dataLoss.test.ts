import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isMobileIdError } from "@mobile-id/core";
import { openDurableNonceStore } from "./sqliteNonceStore.ts";

const dir = mkdtempSync(join(tmpdir(), "mid-nonces-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("openDurableNonceStore: consumed challenges lost to a damaged WAL", () => {
  it("refuses to open (DATA_LOST) instead of treating lost challenges as fresh (a replay)", async () => {
    const live = join(dir, "live.sqlite");
    const opened = openDurableNonceStore({ path: live, clock: () => 1_000 });
    const challenges = Array.from({ length: 60 }, (_, i) => `challenge-${i}-${"x".repeat(300)}`);
    for (const c of challenges) expect(await opened.store.consume(c, 5_000)).toBe(true);
    // What a crash leaves: the commits sit in the WAL, not checkpointed.
    const path = join(dir, "image.sqlite");
    for (const suffix of ["", "-wal", ".mark"]) copyFileSync(`${live}${suffix}`, `${path}${suffix}`);
    opened.close();

    const wal = readFileSync(`${path}-wal`);
    const pageSize = wal.readUInt32BE(8);
    const frames = Math.floor((wal.length - 32) / (24 + pageSize));
    expect(frames).toBeGreaterThan(10);
    const at = 32 + Math.floor(frames / 2) * (24 + pageSize) + 24 + 100;
    for (let i = 0; i < 8; i++) wal[at + i] = wal[at + i]! ^ 0xff;
    writeFileSync(`${path}-wal`, wal);

    let error: unknown;
    try {
      openDurableNonceStore({ path, clock: () => 1_000 }).close();
    } catch (e) {
      error = e;
    }
    expect(isMobileIdError(error, "DATA_LOST")).toBe(true);
    // What the refusal prevents: accepted, the last challenge (consumed, acknowledged) is fresh again.
    const accepted = openDurableNonceStore({ path, clock: () => 1_000, acceptDataLoss: true });
    expect(await accepted.store.consume(challenges.at(-1)!, 5_000)).toBe(true);
    accepted.close();
  });
});
