/**
 * `mid network init` for a production network: the validators come as public keys (never private keys), the root
 * as an address; without the root's key the descriptor is written unsigned and no private key file is written.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { type BesuGenesis, decodeQbftExtraData } from "@mobile-id/chain";
import { runNode } from "../support/run.ts";

const env = { MID_ROOT_KEY: "" };
const init = (...args: string[]) => runNode("packages/cli/bin/mid.js", ["--json", "network", "init", ...args], env);
const errorCode = (stdout: string) => (JSON.parse(stdout) as { error?: { code?: string } }).error?.code;

describe("mid network init from the agencies' public keys", () => {
  const dir = mkdtempSync(join(tmpdir(), "mid-init-"));
  const agencies = Array.from({ length: 7 }, () => Wallet.createRandom());
  const rpcNode = Wallet.createRandom();
  const root = Wallet.createRandom();
  const validators = agencies.map((w, i) => `${w.signingKey.publicKey}@10.1.0.${11 + i}:30303`).join(",");
  const common = ["--rpc-node", `${rpcNode.signingKey.compressedPublicKey}@10.1.0.30:30303`, "--root", root.address, "--root-name", "행정안전부", "--chain-id", "2026", "--block-period", "2", "--gas-limit", "60000000", "--rpc-url", "https://rpc.mobile-id.example"];

  it("writes the genesis with the 7 validators, an unsigned descriptor, the node allowlist, and no private key", async () => {
    const out = join(dir, "seven");
    const r = await init("--validators", validators, ...common, "--out", out);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { signed: boolean }).signed).toBe(false);
    const genesis = JSON.parse(readFileSync(join(out, "genesis.json"), "utf8")) as BesuGenesis;
    expect(decodeQbftExtraData(genesis.extraData).validators).toEqual(agencies.map((w) => w.address));
    expect(genesis.config.chainId).toBe(2026);
    expect(BigInt(genesis.gasLimit)).toBe(60_000_000n);
    const descriptor = JSON.parse(readFileSync(join(out, "network.unsigned.json"), "utf8")) as { root: { address: string }; proof?: unknown; rpcUrl: string };
    expect(descriptor.root.address).toBe(root.address);
    expect(descriptor.proof).toBeUndefined();
    expect(descriptor.rpcUrl).toBe("https://rpc.mobile-id.example");
    expect(existsSync(join(out, "network.json"))).toBe(false);
    for (const node of readdirSync(join(out, "nodes"))) expect(readdirSync(join(out, "nodes", node)).sort()).toEqual(["config.toml", "permissions_config.toml"]);
    const permissions = readFileSync(join(out, "permissions_config.toml"), "utf8");
    for (const [i, w] of agencies.entries()) expect(permissions).toContain(`enode://${w.signingKey.publicKey.slice(4)}@10.1.0.${11 + i}:30303`);
    expect(permissions).toContain(`enode://${rpcNode.signingKey.publicKey.slice(4)}@10.1.0.30:30303`);
    expect(permissions).toMatch(new RegExp(`accounts-allowlist=\\[\\s*"${root.address}",\\s*\\]`));
  });

  it("signs the descriptor with the root's key file, and refuses a key that is not the root's", async () => {
    const keyFile = join(dir, "root.key");
    writeFileSync(keyFile, root.privateKey, { mode: 0o600 });
    const out = join(dir, "signed");
    const r = await init("--validators", validators, ...common, "--root-key-file", keyFile, "--out", out);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const descriptor = JSON.parse(readFileSync(join(out, "network.json"), "utf8")) as { proof: { signer: string } };
    expect(descriptor.proof.signer).toBe(root.address);
    const otherKey = join(dir, "other.key");
    writeFileSync(otherKey, Wallet.createRandom().privateKey, { mode: 0o600 });
    const wrong = await init("--validators", validators, ...common, "--root-key-file", otherKey, "--out", join(dir, "wrong"));
    expect(wrong.code).toBe(2);
    expect(errorCode(wrong.stdout)).toBe("INVALID_ARGUMENT");
  });

  it("refuses a private key among the validators, and a non-empty folder without --force", async () => {
    const leaked = await init("--validators", `${agencies[0]?.signingKey.publicKey ?? ""},${agencies[1]?.privateKey ?? ""}`, ...common, "--out", join(dir, "leaked"));
    expect(leaked.code).toBe(2);
    expect(errorCode(leaked.stdout)).toBe("INVALID_ARGUMENT");
    expect(existsSync(join(dir, "leaked"))).toBe(false);
    const again = await init("--validators", validators, ...common, "--out", join(dir, "seven"));
    expect(again.code).toBe(2);
    expect(errorCode(again.stdout)).toBe("INVALID_ARGUMENT");
  });
});
