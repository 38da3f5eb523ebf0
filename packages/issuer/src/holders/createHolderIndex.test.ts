import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSyntheticPortrait, portraitDataUri } from "@mobile-id/core/sd-jwt-vc";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CreateHolderIndexParameters, createHolderIndex } from "./createHolderIndex.ts";
import { MAX_THUMBNAIL_BYTES, holderFactsOf, normalizeName, portraitThumbnail } from "./holderFacts.ts";

const DAY = 86_400;
let dir: string;
let now: number;
const params = (over: Partial<CreateHolderIndexParameters> = {}): CreateHolderIndexParameters => ({
  path: join(dir, "issuer", "snu.holders.sqlite"),
  keyPath: join(dir, "issuer", "snu.holders.key"),
  clock: () => now,
  ...over,
});
const person = (reference: string, familyName: string, givenName: string, id: string, expiresAt = now + 365 * DAY) => ({
  reference,
  familyName,
  givenName,
  credentialIds: [id],
  type: "StudentIDCredential",
  format: "jwt_vc_json",
  issuedAt: now,
  expiresAt,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "holders-"));
  now = 1_800_000_000;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the holder index", () => {
  it("keeps names, references and portraits only as ciphertext: the files' bytes contain none of them", () => {
    const index = createHolderIndex(params());
    const thumbnail = portraitThumbnail(portraitDataUri(createSyntheticPortrait({ seed: 3 })));
    expect(thumbnail).toBeDefined();
    index.recordHolder({ ...person("2026-99871", "Kwonhaneul", "Seoyeonbyeol", "urn:uuid:a"), ...(thumbnail === undefined ? {} : { thumbnail }) });
    index.recordHolder(person("2026-55555", "김", "하늘별", "urn:uuid:b"));
    const files = readdirSync(join(dir, "issuer")).map((f) => join(dir, "issuer", f));
    const bytes = Buffer.concat(files.filter((f) => !f.endsWith(".key")).map((f) => readFileSync(f)));
    for (const secret of ["Kwonhaneul", "Seoyeonbyeol", "2026-99871", "2026-55555", "하늘별", (thumbnail ?? "").slice(30, 60)]) {
      expect(bytes.includes(Buffer.from(secret, "utf8"))).toBe(false);
    }
    // Still readable with the key: the row is really there.
    expect(index.findHolders({ reference: "2026-99871" })[0]?.thumbnail).toBe(thumbnail);
    for (const f of files) expect(statSync(f).mode & 0o077).toBe(0);
    index.close();
    expect(statSync(join(dir, "issuer")).mode & 0o077).toBe(0);
  });

  it("finds by reference (exact after normalisation), by name (case, spaces and order ignored) and by credential id", () => {
    const index = createHolderIndex(params());
    index.recordHolder(person("2026-12345", "Kim", "Minjun", "urn:uuid:1"));
    index.recordHolder(person("2026-12346", "김", "민준", "urn:uuid:2"));
    index.recordHolder(person("2026-22222", "Lee", "Seoyeon", "urn:uuid:3"));
    expect(index.findHolders({ reference: " 2026-12345 " }).map((r) => r.credentialIds)).toEqual([["urn:uuid:1"]]);
    expect(index.findHolders({ reference: "2026-1234" })).toEqual([]); // exact, not a prefix
    expect(index.findHolders({ name: "minjun  KIM" }).map((r) => r.reference)).toEqual(["2026-12345"]);
    expect(index.findHolders({ name: "kim min" }).map((r) => r.reference)).toEqual(["2026-12345"]);
    expect(index.findHolders({ name: "김민준" }).map((r) => r.reference)).toEqual(["2026-12346"]);
    expect(index.findHolders({ name: "김 민준" }).map((r) => r.reference)).toEqual(["2026-12346"]);
    expect(index.findHolders({ reference: "2026-12345", name: "Lee" })).toEqual([]);
    expect(index.findHolders({ credentialId: "urn:uuid:3" }).map((r) => r.familyName)).toEqual(["Lee"]);
    expect(() => index.findHolders({})).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(normalizeName(" Kim  Min-jun ")).toBe("kimminjun");
    // Rows added after the first name search are found by name too (the in-memory names are kept in step).
    index.recordHolder(person("2026-33333", "Kim", "Minseo", "urn:uuid:4"));
    expect(index.findHolders({ name: "kim min" }).map((r) => r.reference)).toEqual(["2026-33333", "2026-12345"]);
    index.close();
  });

  it("erases a row once its credential expired and the retention passed, and keeps it until then", () => {
    const index = createHolderIndex(params({ retentionSeconds: 30 * DAY }));
    index.recordHolder(person("A-1", "Park", "Jiho", "urn:uuid:x", now + 10 * DAY));
    index.recordHolder(person("A-2", "Choi", "Yuna", "urn:uuid:y", now + 100 * DAY));
    now += 39 * DAY; // expired 29 days ago: kept
    expect(index.eraseExpired()).toBe(0);
    expect(index.findHolders({ name: "park" })).toHaveLength(1);
    now += 2 * DAY; // 31 days after expiry: erased on the next use
    expect(index.findHolders({ name: "park" })).toEqual([]);
    expect(index.findHolders({ credentialId: "urn:uuid:x" })).toEqual([]);
    expect(index.count()).toBe(1);
    index.close();
    // And after a restart, at open.
    now += 100 * DAY;
    const again = createHolderIndex(params({ retentionSeconds: 30 * DAY }));
    expect(again.count()).toBe(0);
    again.close();
  });

  it("refuses to open without its key, or with another key", () => {
    createHolderIndex(params()).close();
    writeFileSync(join(dir, "other.key"), Buffer.alloc(32, 7), { mode: 0o600 });
    expect(() => createHolderIndex(params({ keyPath: join(dir, "other.key") }))).toThrow(expect.objectContaining({ code: "HOLDER_INDEX_KEY_INVALID" }));
    expect(() => createHolderIndex(params({ keyPath: join(dir, "missing.key") }))).toThrow(expect.objectContaining({ code: "HOLDER_INDEX_KEY_INVALID" }));
  });

  it("takes the reference, the names and a thumbnail ≤ 8 KB from a credential's claims", () => {
    const portrait = portraitDataUri(createSyntheticPortrait({ seed: 11, width: 480, height: 600, quality: 95 }));
    expect(Buffer.from(portrait.split(",")[1] as string, "base64").length).toBeGreaterThan(MAX_THUMBNAIL_BYTES);
    const facts = holderFactsOf("StudentIDCredential", { studentNumber: "2026-1", familyName: "김", givenName: "민준", portrait });
    expect(facts).toMatchObject({ reference: "2026-1", familyName: "김", givenName: "민준" });
    const jpeg = Buffer.from((facts.thumbnail ?? "").split(",")[1] ?? "", "base64");
    expect(jpeg.length).toBeGreaterThan(100);
    expect(jpeg.length).toBeLessThanOrEqual(MAX_THUMBNAIL_BYTES);
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    expect(holderFactsOf("DriversLicenseCredential", { licenseNumber: "11-22", familyName: "A", givenName: "B" }).reference).toBe("11-22");
    expect(portraitThumbnail("data:image/jpeg;base64,AAAA")).toBeUndefined();
  });
});

describe("a damaged holder index", () => {
  it("is refused with the data-file code, not a raw SQLite error", () => {
    createHolderIndex(params()).close();
    writeFileSync(join(dir, "issuer", "snu.holders.sqlite"), Buffer.alloc(4096, 0x5a));
    expect(() => createHolderIndex(params())).toThrow(expect.objectContaining({ code: "DATA_FILE_DAMAGED" }));
  });
});
