/**
 * Damaged or missing data files, with `pnpm start` as a real process: every case is made on a network that
 * ran and stopped, and each must end in a refusal (exit 2, the error code, the file named, the way out, no
 * stack trace) instead of a start that silently lost state or made a second network; acknowledged issuances
 * lost to a damaged WAL are found too. Also: data files 0600 and directories 0700; API keys printed once,
 * stored nowhere, and rotated per agency.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPublicKeyEthrDid } from "@mobile-id/core";
import { runNode } from "../support/run.ts";
import { NetworkProcess, freePort } from "../support/networkProcess.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("pnpm start with damaged or missing data files", () => {
  let dataDir: string;
  let rpcPort: number;
  let httpPort: number;
  let keys: Record<string, string> = {};
  let net: NetworkProcess | undefined;

  const start = async (): Promise<NetworkProcess> => {
    net = await NetworkProcess.start({ dataDir, rpcPort, httpPort });
    await net.waitHealthy(90_000);
    return net;
  };

  /** Starts, expects a refusal; returns the output. */
  const refusal = async (): Promise<string> => {
    net = await NetworkProcess.start({ dataDir, rpcPort, httpPort });
    const deadline = Date.now() + 90_000;
    while (net.alive && !net.output.includes("Press Ctrl-C to stop") && Date.now() < deadline) await sleep(100);
    if (net.alive) {
      const output = net.output;
      await net.kill();
      throw new Error(`the network started instead of refusing:\n${output}`);
    }
    await net.waitExit();
    expect(net.exitCode).toBe(2);
    // The ledger node it started is gone with it (the port is free again for the next case).
    while (await fetch(`http://127.0.0.1:${rpcPort}`).then(() => true, () => false)) await sleep(100);
    return net.output;
  };

  const expectClearRefusal = (output: string, code: string, file: string) => {
    expect(output).toContain(`error ${code}:`);
    expect(output).toContain(file);
    expect(output).toMatch(/hint: restore /);
    expect(output).not.toMatch(/^\s+at /m); // no stack trace
  };

  /** Moves `rel` (and the given companions) aside, runs `fn`, puts them back. */
  const without = async (rels: readonly string[], fn: () => Promise<void>): Promise<void> => {
    const moved = rels.filter((r) => existsSync(join(dataDir, r)));
    for (const r of moved) renameSync(join(dataDir, r), join(dataDir, `${r}.aside`));
    try {
      await fn();
    } finally {
      for (const r of moved) renameSync(join(dataDir, `${r}.aside`), join(dataDir, r));
    }
  };

  const issue = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const holder = toPublicKeyEthrDid(31337, Wallet.createRandom().signingKey.publicKey);
      const r = await fetch(`http://127.0.0.1:${httpPort}/issuers/snu/credentials`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${keys["snu"] ?? ""}` },
        body: JSON.stringify({
          type: "StudentIDCredential",
          holder,
          claims: { familyName: "김", givenName: `학생${i}`, studentNumber: `2026-${String(i).padStart(5, "0")}`, institution: "서울대학교", enrollmentStatus: "enrolled" },
        }),
      });
      if (r.status !== 201) throw new Error(`issue answered ${r.status}: ${await r.text()}`);
    }
  };

  const credentialCount = async (key: string): Promise<number> => {
    const r = await fetch(`http://127.0.0.1:${httpPort}/issuers/snu/credentials?limit=100`, { headers: { authorization: `Bearer ${key}` } });
    if (r.status !== 200) throw new Error(`list answered ${r.status}`);
    const body = (await r.json()) as { items?: unknown[]; credentials?: unknown[] };
    return (body.items ?? body.credentials ?? []).length;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "mid-files-"));
    rpcPort = await freePort();
    httpPort = await freePort();
    await start();
    keys = await net!.apiKeys();
    expect(Object.keys(keys).sort()).toStrictEqual(["jongno", "seoul", "seoul-license", "snu"]);
    await issue(5);
    expect(await net!.stop()).toBe("exit 0");
  }, 240_000);

  afterAll(async () => {
    await net?.kill().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps every data file 0600 and every data directory 0700; no plain API key on disk", () => {
    const walk = (dir: string): void => {
      expect({ dir, mode: statSync(dir).mode & 0o777 }).toStrictEqual({ dir, mode: 0o700 });
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else {
          expect({ p, mode: statSync(p).mode & 0o777 }).toStrictEqual({ p, mode: 0o600 });
          const text = readFileSync(p).toString("latin1");
          for (const key of Object.values(keys)) expect(text.includes(key)).toBe(false);
        }
      }
    };
    walk(dataDir);
    expect(existsSync(join(dataDir, "services", "agency-api-keys.json"))).toBe(false);
  });

  it("refuses a missing network.json while the ledger holds the network (no second deployment)", { timeout: 120_000 }, async () => {
    await without(["network.json"], async () => {
      expectClearRefusal(await refusal(), "DATA_FILE_MISSING", "network.json");
      expect(existsSync(join(dataDir, "network.json"))).toBe(false);
    });
  });

  it("refuses a missing issuer database whose lists are on the ledger (no fresh empty issuer)", { timeout: 120_000 }, async () => {
    await without(["issuer/snu.sqlite", "issuer/snu.sqlite-wal", "issuer/snu.sqlite.mark"], async () => {
      expectClearRefusal(await refusal(), "DATA_FILE_MISSING", join("issuer", "snu.sqlite"));
      expect(existsSync(join(dataDir, "issuer", "snu.sqlite"))).toBe(false);
    });
  });

  it("refuses a missing API key hash file (no new keys minted silently)", { timeout: 120_000 }, async () => {
    await without(["services/api-key-hashes.json"], async () => {
      const output = await refusal();
      expectClearRefusal(output, "DATA_FILE_MISSING", "api-key-hashes.json");
      expect(output).toContain("pnpm api-key:rotate snu");
      expect(output).not.toMatch(/mid_[A-Za-z0-9_-]{43}/);
    });
  });

  it("refuses a missing consumed-challenge store", { timeout: 120_000 }, async () => {
    await without(["verifier/nonces.sqlite", "verifier/nonces.sqlite-wal"], async () => {
      expectClearRefusal(await refusal(), "DATA_FILE_MISSING", "nonces.sqlite");
    });
  });

  it("refuses a damaged verifier database (quick_check)", { timeout: 120_000 }, async () => {
    const path = join(dataDir, "verifier", "verifier.sqlite");
    const original = readFileSync(path);
    try {
      writeFileSync(path, Buffer.alloc(original.length, 0x5a));
      expectClearRefusal(await refusal(), "DATA_FILE_DAMAGED", "verifier.sqlite");
    } finally {
      writeFileSync(path, original);
    }
  });

  it("rotates one agency's key: the new key is printed once and works, the old one is refused", { timeout: 180_000 }, async () => {
    const rotated = await runNode("scripts/rotate-api-key.ts", ["--data-dir", dataDir, "snu"]);
    expect(rotated.code).toBe(0);
    const key = /^ {2}(mid_[A-Za-z0-9_-]{43})$/m.exec(rotated.stdout)?.[1];
    expect(key).toBeDefined();
    expect(readFileSync(join(dataDir, "services", "api-key-hashes.json"), "utf8")).not.toContain(key!);
    const unknown = await runNode("scripts/rotate-api-key.ts", ["--data-dir", dataDir, "nobody"]);
    expect(unknown.code).toBe(2);
    await start();
    expect(await net!.apiKeys()).toStrictEqual({}); // nothing minted on a later start
    expect(await credentialCount(key!)).toBe(5);
    await expect(credentialCount(keys["snu"]!)).rejects.toThrow("401");
    // Other agencies keep theirs.
    const seoul = await fetch(`http://127.0.0.1:${httpPort}/issuers/seoul/credentials`, { headers: { authorization: `Bearer ${keys["seoul"]!}` } });
    expect(seoul.status).toBe(200);
    keys["snu"] = key!;
    expect(await net!.stop()).toBe("exit 0");
  });

  it("finds acknowledged issuances lost to 8 flipped bytes in the issuer's WAL after a SIGKILL, and refuses", { timeout: 180_000 }, async () => {
    await start();
    await issue(40);
    await net!.kill();
    const walPath = join(dataDir, "issuer", "snu.sqlite-wal");
    const wal = readFileSync(walPath);
    const pageSize = wal.readUInt32BE(8);
    let frames = 0;
    for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
      if (wal.readUInt32BE(off + 8) !== wal.readUInt32BE(16) || wal.readUInt32BE(off + 12) !== wal.readUInt32BE(20)) break;
      frames++;
    }
    expect(frames).toBeGreaterThan(10);
    const at = 32 + Math.floor(frames / 2) * (24 + pageSize) + 24 + 300;
    for (let i = 0; i < 8; i++) wal[at + i] = wal[at + i]! ^ 0xff;
    writeFileSync(walPath, wal);
    const output = await refusal();
    expectClearRefusal(output, "DATA_LOST", join("issuer", "snu.sqlite"));
    const lost = /lacks (\d+) of the (\d+) transactions it acknowledged/.exec(output);
    expect(Number(lost?.[1])).toBeGreaterThan(0);
    // The operator accepts the loss for that file, explicitly: the start goes on with what the database holds.
    const file = /--accept-data-loss (\S+)/.exec(output)?.[1];
    expect(file).toBe(join(dataDir, "issuer", "snu.sqlite"));
    net = await NetworkProcess.start({ dataDir, rpcPort, httpPort, extraArgs: ["--accept-data-loss", file!] });
    await net.waitHealthy(90_000);
    expect(net.output).toContain("MID_DATA_LOSS_ACCEPTED");
    const kept = await credentialCount(keys["snu"]!);
    expect(kept).toBeGreaterThanOrEqual(5);
    expect(kept).toBeLessThan(45);
    expect(await net.stop()).toBe("exit 0");
    // Accepted once: the next plain start is clean.
    await start();
    expect(await net!.stop()).toBe("exit 0");
  });
});
