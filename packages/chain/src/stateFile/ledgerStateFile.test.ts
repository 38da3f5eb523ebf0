import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { type CopyStateFileOutcome, copyCompleteStateFile } from "./copyStateFile.ts";
import { keepLedgerStateCopies, ledgerStateFiles, restoreLedgerState } from "./ledgerStateFile.ts";
import { createJsonDocumentScan, isCompleteJsonFile } from "./scanJsonDocument.ts";

const root = mkdtempSync(join(tmpdir(), "mid-statefile-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => {
  const d = join(root, `d${dirs++}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A state file in anvil's shape (a small chain at block `block`). */
function anvilLikeState(block: number, accounts = 20): string {
  const hex = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;
  const storage = Object.fromEntries(Array.from({ length: accounts }, (_, i) => [hex(i), hex(i * block + 1)]));
  return JSON.stringify({
    block: { number: `0x${block.toString(16)}`, timestamp: "0x6b16bb3a", gas_limit: 30000000 },
    accounts: { "0x5fbdb2315678afecb367f032d93f642f64180aa3": { nonce: 1, balance: "0x0", code: "0x6080", storage } },
    best_block_number: block,
    blocks: [],
    transactions: [{ info: { note: 'a "quoted" \\ string ] } [ {' } }],
    historical_states: null,
  });
}

function scanInChunks(text: Buffer, cuts: readonly number[]): boolean {
  const scan = createJsonDocumentScan();
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    scan.push(text.subarray(from, Math.max(from, cut)));
    from = Math.max(from, cut);
  }
  scan.push(text.subarray(from));
  return scan.complete();
}

describe("createJsonDocumentScan", () => {
  const documents = fc
    .oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue()))
    .map((v) => Buffer.from(JSON.stringify(v)));

  it("accepts a whole object or array, however it is cut into chunks", () => {
    fc.assert(fc.property(documents, fc.array(fc.nat()), (doc, cuts) => scanInChunks(doc, cuts.map((c) => c % (doc.length + 1)))));
    expect(scanInChunks(Buffer.from(` ${anvilLikeState(7)}\n`), [3, 100])).toBe(true);
  });

  it("rejects every proper prefix (a torn write), zero bytes and anything after the document", () => {
    fc.assert(
      fc.property(documents, fc.nat(), fc.array(fc.nat()), (doc, cut, cuts) => {
        const prefix = doc.subarray(0, cut % doc.length);
        return !scanInChunks(prefix, cuts.map((c) => c % (prefix.length + 1)));
      }),
    );
    const doc = Buffer.from(anvilLikeState(3));
    for (let cut = 0; cut < doc.length; cut++) expect(scanInChunks(doc.subarray(0, cut), [cut >> 1])).toBe(false);
    const holed = Buffer.from(doc);
    holed.fill(0, 100, 140); // an unsynced block after a power loss
    expect(scanInChunks(holed, [])).toBe(false);
    expect(scanInChunks(Buffer.concat([doc, Buffer.from("}")]), [])).toBe(false);
    expect(scanInChunks(Buffer.concat([doc, Buffer.from("{}")]), [])).toBe(false);
    expect(scanInChunks(Buffer.from('"a string"'), [])).toBe(false);
    expect(scanInChunks(Buffer.from(""), [])).toBe(false);
  });
});

describe("isCompleteJsonFile", () => {
  // The old check made one string of the whole file for JSON.parse: past 512 MiB that throws, so a valid
  // state file was taken for torn and the chain rolled back to the last copy.
  it("accepts a whole state file larger than 512 MiB, and rejects it once torn", () => {
    const file = join(freshDir(), "state.json");
    const entry = Buffer.from(`"0x${"ab".repeat(32)}":"0x${"cd".repeat(32)}",`);
    const chunk = Buffer.concat(Array.from({ length: Math.ceil((8 << 20) / entry.length) }, () => entry));
    const fd = openSync(file, "w");
    try {
      writeSync(fd, '{"accounts":{"0x1":{"storage":{');
      for (let size = 0; size < 513 * (1 << 20); ) size += writeSync(fd, chunk);
      writeSync(fd, '"0x0":"0x0"}}}}');
    } finally {
      closeSync(fd);
    }
    try {
      expect(statSync(file).size).toBeGreaterThan(512 * (1 << 20));
      expect(isCompleteJsonFile(file)).toBe(true);
      truncateSync(file, statSync(file).size - 1);
      expect(isCompleteJsonFile(file)).toBe(false);
    } finally {
      rmSync(file, { force: true });
    }
  }, 120_000);

  it("is false for a missing file", () => {
    expect(isCompleteJsonFile(join(root, "missing.json"))).toBe(false);
  });
});

describe("copyCompleteStateFile", () => {
  it("copies a whole file (mode 0600) and leaves the last copy when the file is torn", () => {
    const dir = freshDir();
    const { stateFile, copyFile } = ledgerStateFiles(dir);
    writeFileSync(stateFile, anvilLikeState(1));
    expect(copyCompleteStateFile({ from: stateFile, to: copyFile }).outcome).toBe("copied");
    expect(readFileSync(copyFile, "utf8")).toBe(anvilLikeState(1));
    expect(statSync(copyFile).mode & 0o777).toBe(0o600);
    writeFileSync(stateFile, anvilLikeState(2).slice(0, 200));
    expect(copyCompleteStateFile({ from: stateFile, to: copyFile }).outcome).toBe("incomplete");
    expect(readFileSync(copyFile, "utf8")).toBe(anvilLikeState(1));
    expect(readdirSync(dir).sort()).toEqual(["state.complete.json", "state.json"]);
    expect(copyCompleteStateFile({ from: join(dir, "none.json"), to: copyFile }).outcome).toBe("missing");
  });
});

describe("restoreLedgerState", () => {
  it("replaces a torn state file by the last complete copy and keeps the torn one aside", async () => {
    const dir = freshDir();
    const { stateFile, copyFile } = ledgerStateFiles(dir);
    writeFileSync(copyFile, anvilLikeState(5));
    writeFileSync(stateFile, anvilLikeState(6).slice(0, 300));
    const lines: string[] = [];
    const r = await restoreLedgerState({ ledgerDir: dir, log: (l) => lines.push(l), now: () => 1234 });
    expect(r).toEqual({ restored: true, tornKeptAs: `${stateFile}.torn-1234` });
    expect(readFileSync(stateFile, "utf8")).toBe(anvilLikeState(5));
    expect(readFileSync(`${stateFile}.torn-1234`, "utf8")).toBe(anvilLikeState(6).slice(0, 300));
    expect(lines).toHaveLength(2);
  });

  it("leaves a complete state file alone, and restores the copy when the state file is missing", async () => {
    const dir = freshDir();
    const { stateFile, copyFile } = ledgerStateFiles(dir);
    writeFileSync(copyFile, anvilLikeState(5));
    writeFileSync(stateFile, anvilLikeState(9));
    expect(await restoreLedgerState({ ledgerDir: dir })).toEqual({ restored: false });
    expect(readFileSync(stateFile, "utf8")).toBe(anvilLikeState(9));
    rmSync(stateFile);
    expect(await restoreLedgerState({ ledgerDir: dir })).toEqual({ restored: true });
    expect(readFileSync(stateFile, "utf8")).toBe(anvilLikeState(5));
    expect(await restoreLedgerState({ ledgerDir: freshDir() })).toEqual({ restored: false });
  });
});

describe("keepLedgerStateCopies", () => {
  it("copies each new complete state once, skips rewrites of the same state and torn files, and copies on stop", async () => {
    const dir = freshDir();
    const { stateFile, copyFile } = ledgerStateFiles(dir);
    const outcomes: CopyStateFileOutcome["outcome"][] = [];
    writeFileSync(stateFile, anvilLikeState(1));
    const copier = keepLedgerStateCopies({ ledgerDir: dir, intervalMs: 20, onCopy: (r) => outcomes.push(r.outcome) });
    const until = async (what: () => boolean) => {
      for (let i = 0; i < 250 && !what(); i++) await sleep(20);
      expect(what()).toBe(true);
    };
    try {
      await until(() => existsSync(copyFile) && readFileSync(copyFile, "utf8") === anvilLikeState(1));
      // anvil rewrites the same state every interval: no copy is taken for it.
      for (let i = 0; i < 5; i++) {
        writeFileSync(stateFile, anvilLikeState(1));
        utimesSync(stateFile, new Date(), new Date(Date.now() + i * 1000));
        await sleep(40);
      }
      expect(outcomes).toEqual(["copied"]);
      // Torn (a kill mid-write): the copy stays the last complete one.
      writeFileSync(stateFile, anvilLikeState(2).slice(0, 100));
      await until(() => outcomes.includes("incomplete"));
      expect(readFileSync(copyFile, "utf8")).toBe(anvilLikeState(1));
      writeFileSync(stateFile, anvilLikeState(3));
      await until(() => readFileSync(copyFile, "utf8") === anvilLikeState(3));
    } finally {
      writeFileSync(stateFile, anvilLikeState(4));
      await copier.stop();
    }
    expect(readFileSync(copyFile, "utf8")).toBe(anvilLikeState(4));
  });

  it("does not read a file that changes from tick to tick (anvil still writing it), and copies it once it holds still", async () => {
    const dir = freshDir();
    const { stateFile, copyFile } = ledgerStateFiles(dir);
    const outcomes: CopyStateFileOutcome["outcome"][] = [];
    writeFileSync(stateFile, anvilLikeState(1));
    const copier = keepLedgerStateCopies({ ledgerDir: dir, intervalMs: 50, onCopy: (r) => outcomes.push(r.outcome) });
    try {
      // A write in progress: the file grows between every two ticks, as a large dump being written does.
      const full = anvilLikeState(2, 400);
      for (let i = 1; i <= 12; i++) {
        writeFileSync(stateFile, full.slice(0, Math.floor((full.length * i) / 13)));
        await sleep(25);
      }
      // Every signature seen was new at its tick: no copy was attempted, torn or otherwise.
      expect(outcomes.filter((o) => o !== "copied")).toEqual([]);
      writeFileSync(stateFile, full);
      for (let i = 0; i < 100 && !(existsSync(copyFile) && readFileSync(copyFile, "utf8") === full); i++) await sleep(20);
      expect(readFileSync(copyFile, "utf8")).toBe(full);
    } finally {
      await copier.stop();
    }
  });

  it("keeps copying on a busy chain whose every dump differs (each dump holds still between two writes)", async () => {
    const dir = freshDir();
    const { stateFile, copyFile } = ledgerStateFiles(dir);
    writeFileSync(stateFile, anvilLikeState(1));
    const copier = keepLedgerStateCopies({ ledgerDir: dir, intervalMs: 40, settleMs: 20 });
    try {
      // A dump every 150 ms, each with a new block: the copy must follow, not wait for an idle chain.
      for (let block = 2; block <= 8; block++) {
        await sleep(150);
        writeFileSync(stateFile, anvilLikeState(block));
      }
      for (let i = 0; i < 100 && readFileSync(copyFile, "utf8") !== anvilLikeState(8); i++) await sleep(20);
      expect(readFileSync(copyFile, "utf8")).toBe(anvilLikeState(8));
    } finally {
      await copier.stop();
    }
  });
});
