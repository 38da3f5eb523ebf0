/**
 * The operator scripts as real processes against a real node (anvil, with its state on disk).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LedgerNode, connectContracts, devRoster, keepLedgerStateCopies, restoreLedgerState, startLedgerNode } from "@mobile-id/chain";
import { verifyNetworkDescriptor } from "@mobile-id/core";
import { runNode } from "../support/run.ts";

const DEV_ROOT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

describe("scripts/deploy.ts and scripts/bootstrap.ts against anvil", () => {
  const dir = mkdtempSync(join(tmpdir(), "mid-deploy-"));
  const out = join(dir, "network.json");
  let node: LedgerNode;

  beforeAll(async () => {
    node = await startLedgerNode({ dataDir: join(dir, "ledger") });
  });
  afterAll(async () => {
    await node.stop();
  });

  it("deploys, bootstraps and writes a descriptor signed by the root", async () => {
    const r = await runNode("scripts/deploy.ts", ["--rpc", node.url, "--out", out, "--bootstrap"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // 20 for the authorities, types and issuers; 4 for the verifier counter (registered with the resident ID's
    // claims, then granted the other three types' claims by their accreditors).
    expect(r.stdout).toContain("bootstrap: 24 steps applied");
    const descriptor = verifyNetworkDescriptor({ descriptor: JSON.parse(readFileSync(out, "utf8")), trustedRootKeys: [DEV_ROOT] });
    expect(descriptor.rpcUrl).toBe(node.url);
  });

  it("changes nothing on a second run: same file bytes, no new block", async () => {
    const provider = new JsonRpcProvider(node.url, undefined, { batchMaxCount: 1, cacheTimeout: -1 });
    const before = { file: readFileSync(out, "utf8"), block: await provider.getBlockNumber() };
    const r = await runNode("scripts/deploy.ts", ["--rpc", node.url, "--out", out, "--bootstrap"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("up to date");
    expect(r.stdout).toContain("bootstrap: already in place");
    expect(readFileSync(out, "utf8")).toBe(before.file);
    expect(await provider.getBlockNumber()).toBe(before.block);
    provider.destroy();
  });

  it("refuses a descriptor signed by a root it was not told to trust (exit 2, stable code)", async () => {
    const r = await runNode("scripts/bootstrap.ts", [
      "--rpc", node.url, "--descriptor", out, "--trust-root", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("DESCRIPTOR_UNTRUSTED_SIGNER");
  });

  it("refuses a tampered descriptor (exit 2, stable code)", async () => {
    const tampered = JSON.parse(readFileSync(out, "utf8"));
    tampered.contracts.statusRegistry.address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const path = join(dir, "tampered.json");
    writeFileSync(path, JSON.stringify(tampered));
    const r = await runNode("scripts/bootstrap.ts", ["--rpc", node.url, "--descriptor", path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("DESCRIPTOR_SIGNATURE_INVALID");
  });

  it("keeps the network across a SIGKILL of the node: after restart, deploy finds everything", async () => {
    // As `pnpm start` runs it: the node dumps its state every second and a copier keeps the last complete dump, so
    // a kill that tears the file mid-write (likely on a busy machine) loses at most that second, which the deploy
    // below would redo. Wait for a complete dump of the deployed network, then kill without warning.
    const ledgerDir = join(dir, "ledger");
    await new Promise((r) => setTimeout(r, 1500)); // a dump after the last transaction of the tests above
    let copies = 0;
    const copier = keepLedgerStateCopies({ ledgerDir, intervalMs: 100, onCopy: (o) => void (o.outcome === "copied" && copies++) });
    const deadline = Date.now() + 10_000;
    while (copies < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(copies).toBeGreaterThan(0);
    await node.kill();
    await copier.stop();
    await restoreLedgerState({ ledgerDir });
    node = await startLedgerNode({ dataDir: ledgerDir });
    const r = await runNode("scripts/deploy.ts", ["--rpc", node.url, "--out", out, "--bootstrap"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("up to date");
    expect(r.stdout).toContain("bootstrap: already in place");
    const provider = new JsonRpcProvider(node.url, undefined, { batchMaxCount: 1, cacheTimeout: -1 });
    const descriptor = JSON.parse(readFileSync(out, "utf8"));
    const registry = connectContracts({ descriptor, runner: provider }).accreditationRegistry;
    const uni = await devRoster(provider).issuers[0]!.signer.getAddress();
    expect((await registry.getFunction("party")(uni)).name).toContain("Seoul National University");
    provider.destroy();
  });

  it("refuses the public development key on a chain other than 31337 (exit 2)", async () => {
    const other = await startLedgerNode({ dataDir: join(dir, "other"), chainId: 4242 });
    try {
      const r = await runNode("scripts/deploy.ts", ["--rpc", other.url, "--out", join(dir, "other.json")], {
        MID_ROOT_KEY: "",
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("INVALID_ARGUMENT");
    } finally {
      await other.stop();
    }
  });

  it("reports an unreachable ledger with LEDGER_UNAVAILABLE (exit 2)", async () => {
    const r = await runNode("scripts/deploy.ts", ["--rpc", "http://127.0.0.1:1", "--out", join(dir, "x.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("LEDGER_UNAVAILABLE");
  });

  it("rejects unknown options with usage (exit 2)", async () => {
    const r = await runNode("scripts/deploy.ts", ["--frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage:");
  });
});
