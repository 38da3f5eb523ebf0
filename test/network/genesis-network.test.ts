/**
 * `mid network init --dev`, checked here since Besu cannot run on these machines: the generated genesis boots on
 * `anvil --init` with the contracts in `alloc` (no deployment step), the signed descriptor verifies against it,
 * and the article's story (accredit → issue → verify → revoke) runs on it with the `mid` command line. Then
 * `mid network allowlist --apply` follows real governance changes (accredit, suspend, revoke an issuer) on a fake
 * Besu node that records the PERM calls.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, getAddress, keccak256 } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BesuGenesis, connectContracts, decodeQbftExtraData, deployNetwork, devRoster } from "@mobile-id/chain";
import { type NetworkDescriptor, verifyNetworkDescriptor } from "@mobile-id/core";
import { type GenesisLedger, startGenesisLedger } from "../support/genesisLedger.ts";
import { type RunResult, runNode } from "../support/run.ts";

const ROOT = { account: "0", address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" };
const MOE = { account: "1", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" };
const UNIVERSITY = { account: "5", address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" };
const LIBRARY = "library.snu.ac.kr";

/** A stand-in for Besu's PERM API: keeps an account allowlist and records every call. */
function fakeBesuPermNode(initial: string[]): Promise<{ url: string; calls: { method: string; params: unknown[] }[]; list: Set<string>; close(): Promise<void> }> {
  const calls: { method: string; params: unknown[] }[] = [];
  const list = new Set(initial);
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      calls.push({ method, params });
      let result: unknown = "Success";
      if (method === "perm_getAccountsAllowlist") result = [...list].map((a) => a.toLowerCase());
      else if (method === "perm_addAccountsToAllowlist") for (const a of params[0] as string[]) list.add(getAddress(a));
      else if (method === "perm_removeAccountsFromAllowlist") for (const a of params[0] as string[]) list.delete(getAddress(a));
      else result = undefined;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(result === undefined ? { jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } } : { jsonrpc: "2.0", id, result }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, calls, list, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

describe("a Besu QBFT network from `mid network init --dev`, booted on anvil --init", () => {
  const dir = mkdtempSync(join(tmpdir(), "mid-genesis-"));
  const out = join(dir, "network");
  const dataDir = join(dir, "data");
  const env = { MID_WALLET_PASSPHRASE: "한강 correct horse battery", MID_KEY: "", MID_TRUST_ROOT: ROOT.address, MID_ROOT_KEY: "" };
  let ledger: GenesisLedger;
  let genesis: BesuGenesis;
  let descriptor: NetworkDescriptor;
  let holderDid = "";
  let credentialId = "";

  const mid = (...args: string[]): Promise<RunResult> => runNode("packages/cli/bin/mid.js", ["--data-dir", dataDir, "--rpc", ledger.url, ...args], env);
  const midJson = async (...args: string[]): Promise<{ code: number | null; body: Record<string, unknown> }> => {
    const r = await mid("--json", ...args);
    return { code: r.code, body: JSON.parse(r.stdout) as Record<string, unknown> };
  };
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const presentAtLibrary = async (): Promise<{ code: number | null; outcome: Record<string, unknown> }> => {
    const request = ok(await mid("request", "--domain", LIBRARY, "--types", "StudentIDCredential")).stdout.trim();
    const requestFile = join(dir, `request-${Date.now()}.json`);
    writeFileSync(requestFile, request);
    const vp = ok(await mid("wallet", "present", "--file", requestFile, "--yes")).stdout.trim();
    const challenge = (JSON.parse(request) as { challenge: string }).challenge;
    const verified = await midJson("verify", vp, "--challenge", challenge, "--domain", LIBRARY, "--types", "StudentIDCredential");
    return { code: verified.code, outcome: verified.body };
  };

  beforeAll(async () => {
    // The genesis is stamped a minute in the past: the chain's first block follows it.
    const timestamp = Math.floor(Date.now() / 1000) - 60;
    ok(await runNode("packages/cli/bin/mid.js", ["network", "init", "--dev", "--validators", "4", "--out", out, "--timestamp", String(timestamp)], env));
    genesis = JSON.parse(readFileSync(join(out, "genesis.json"), "utf8")) as BesuGenesis;
    descriptor = JSON.parse(readFileSync(join(out, "network.json"), "utf8")) as NetworkDescriptor;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    copyFileSync(join(out, "network.json"), join(dataDir, "network.json"));
    ledger = await startGenesisLedger(join(out, "genesis.json"));
  });
  afterAll(async () => {
    await ledger.stop();
  });

  it("writes a QBFT genesis: validators in extraData, Cancun at genesis, free gas, the contracts in alloc", () => {
    const validators = decodeQbftExtraData(genesis.extraData).validators;
    expect(validators).toHaveLength(4);
    const configured = ["validator-1", "validator-2", "validator-3", "validator-4"].map(
      (n) => /\(([0-9a-fA-Fx]{42})\)/.exec(readFileSync(join(out, "nodes", n, "config.toml"), "utf8"))?.[1],
    );
    expect(validators).toEqual(configured);
    expect(genesis.config).toMatchObject({ chainId: 31337, cancunTime: 0, shanghaiTime: 0, londonBlock: 0, zeroBaseFee: true });
    expect(genesis.config.qbft).toEqual({ blockperiodseconds: 2, epochlength: 30000, requesttimeoutseconds: 4 });
    for (const ref of Object.values(descriptor.contracts)) {
      expect(ref.deployBlock).toBe(0);
      expect(keccak256(genesis.alloc[ref.address.toLowerCase()]?.code ?? "0x")).toBe(ref.codeHash);
    }
    // Files are private; the node config allows no gas price and names both allowlists.
    expect(statSync(join(out, "nodes", "validator-1", "key")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, "nodes", "rpc-1", "config.toml"), "utf8")).toMatch(/min-gas-price=0[\s\S]*permissions-accounts-config-file-enabled=true/);
  });

  it("boots with the contracts from genesis: the descriptor verifies, the code matches, the root is set", async () => {
    const provider = new JsonRpcProvider(ledger.url, undefined, { staticNetwork: true, batchMaxCount: 1 });
    try {
      expect(await provider.getBlockNumber()).toBe(0);
      verifyNetworkDescriptor({ descriptor, trustedRootKeys: [ROOT.address] });
      for (const ref of Object.values(descriptor.contracts)) expect(keccak256(await provider.getCode(ref.address))).toBe(ref.codeHash);
      const { accreditationRegistry } = connectContracts({ descriptor, runner: provider });
      expect(await accreditationRegistry.getFunction("root")()).toBe(ROOT.address);
      const party = (await accreditationRegistry.getFunction("party")(ROOT.address)) as { name: string; registeredAt: bigint };
      expect(party.name).toBe(devRoster(provider).rootName);
      expect(Number(party.registeredAt)).toBe(Number(genesis.timestamp));
      // A deployment run against this chain finds every contract in place and deploys nothing.
      const again = await deployNetwork({ deployer: devRoster(provider).root, rootName: "unused", networkName: descriptor.name, rpcUrl: descriptor.rpcUrl, existing: descriptor });
      expect(again.deployed).toEqual([]);
    } finally {
      provider.destroy();
    }
  });

  it("the story, with no deployment step: the ministry accredits the Ministry of Education, which accredits a university", async () => {
    ok(await mid("network", "info"));
    ok(await mid("gov", "register-accreditor", MOE.address, "교육부 Ministry of Education", "--dev-account", ROOT.account));
    ok(await mid("gov", "register-type", "StudentIDCredential", MOE.address, "--dev-account", ROOT.account));
    ok(await mid("gov", "accredit-accreditor", MOE.address, "StudentIDCredential", "--until", "2036-01-01T00:00:00Z", "--dev-account", ROOT.account));
    ok(await mid("gov", "register-issuer", UNIVERSITY.address, "서울대학교 Seoul National University", "--as", MOE.address, "--dev-account", MOE.account));
    ok(await mid("gov", "accredit-issuer", UNIVERSITY.address, "StudentIDCredential", "--as", MOE.address, "--until", "2030-01-01T00:00:00Z", "--dev-account", MOE.account));
  }, 180_000);

  it("the university issues a student ID; the library accepts it; revoked, the library rejects it", async () => {
    const created = await midJson("wallet", "create");
    holderDid = created.body["did"] as string;
    ok(await mid("issuer", "lists", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account));
    const claims = JSON.stringify({ familyName: "김", givenName: "민준", studentNumber: "2026-12345", institution: "서울대학교", enrollmentStatus: "enrolled" });
    const issued = await midJson("issuer", "issue", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account, "--type", "StudentIDCredential", "--holder", holderDid, "--claims", claims);
    expect(issued.code).toBe(0);
    credentialId = issued.body["id"] as string;
    ok(await mid("wallet", "import", issued.body["jwt"] as string));
    const accepted = await presentAtLibrary();
    expect(accepted.code).toBe(0);
    expect(accepted.outcome["verified"]).toBe(true);
    ok(await mid("issuer", "revoke", credentialId, "--reason", "GRADUATION", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account));
    const rejected = await presentAtLibrary();
    expect(rejected.code).toBe(1);
    expect(rejected.outcome["code"]).toBe("CREDENTIAL_REVOKED");
  }, 180_000);

  it("`mid network allowlist --apply` follows the governance: accredited in, suspended kept, revoked out", async () => {
    const stranger = "0x000000000000000000000000000000000000dEaD";
    const node = await fakeBesuPermNode([ROOT.address, stranger]);
    try {
      const applied = await midJson("network", "allowlist", "--apply", node.url);
      expect(applied.code).toBe(0);
      // The university's list operator is the university itself; the three governance identities are in.
      expect([...node.list].sort()).toEqual([ROOT.address, MOE.address, UNIVERSITY.address].sort());
      expect(node.calls.map((c) => c.method)).toEqual(["perm_getAccountsAllowlist", "perm_addAccountsToAllowlist", "perm_removeAccountsFromAllowlist"]);
      expect(node.calls[1]?.params[0]).toEqual([MOE.address, UNIVERSITY.address].sort());
      expect(node.calls[2]?.params[0]).toEqual([stranger]);

      ok(await mid("gov", "suspend", UNIVERSITY.address, "StudentIDCredential", "--as", MOE.address, "--reason", "AUDIT_FINDING", "--dev-account", MOE.account));
      node.calls.length = 0;
      ok(await mid("network", "allowlist", "--apply", node.url));
      expect(node.calls.map((c) => c.method)).toEqual(["perm_getAccountsAllowlist"]);
      expect(node.list.has(UNIVERSITY.address)).toBe(true);

      ok(await mid("gov", "revoke", UNIVERSITY.address, "StudentIDCredential", "--as", MOE.address, "--reason", "AUDIT_FINDING", "--dev-account", MOE.account));
      node.calls.length = 0;
      const after = await midJson("network", "allowlist", "--apply", node.url);
      expect(after.code).toBe(0);
      expect(node.calls.map((c) => c.method)).toEqual(["perm_getAccountsAllowlist", "perm_removeAccountsFromAllowlist"]);
      expect(node.calls[1]?.params[0]).toEqual([UNIVERSITY.address]);
      expect([...node.list].sort()).toEqual([ROOT.address, MOE.address].sort());
    } finally {
      await node.close();
    }
  }, 180_000);

  it("the auditor finds the genesis network consistent: the constructors' root records come from block 0's state", async () => {
    const consistency = await midJson("audit", "consistency");
    expect(consistency.code, JSON.stringify(consistency.body)).toBe(0);
    expect(consistency.body["consistent"]).toBe(true);
    expect(consistency.body["mismatches"]).toEqual([]);
    const governance = await midJson("audit", "governance");
    expect(governance.code).toBe(0);
    const changes = JSON.stringify(governance.body);
    expect(changes).toContain(ROOT.address);
    expect(changes).toContain("Ministry of Education");
  }, 120_000);
});
