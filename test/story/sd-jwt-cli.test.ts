/**
 * SD-JWT VC with the `mid` command line (issue 10), each invocation a separate process, on a real ledger node
 * bootstrapped with the development roster: the wallet makes holder keys (`mid wallet keys`), the resident-ID
 * issuer signs a batch of copies for them (`mid issuer issue-sd-jwt`), the
 * wallet imports them, a shop asks only "19 or older" (`mid request --claims`), the wallet answers with one copy
 * (`mid wallet present`), the shop verifies (`mid verify --claims`), `mid wallet list` counts the copies left, and
 * after `mid issuer revoke` by the batch id the next copy is refused as revoked.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HDNodeWallet, Mnemonic } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_MNEMONIC, type LedgerNode, startLedgerNode } from "@mobile-id/chain";
import { type RunResult, runNode } from "../support/run.ts";

const ROOT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const JONGNO = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0/8");

describe("SD-JWT VC at the command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "mid-sdjwt-cli-"));
  const dataDir = join(dir, "data");
  const env = { MID_WALLET_PASSPHRASE: "한강 correct horse battery", MID_KEY: "", MID_TRUST_ROOT: ROOT };
  let node: LedgerNode;

  const mid = (...args: string[]): Promise<RunResult> => runNode("packages/cli/bin/mid.js", ["--data-dir", dataDir, ...args], env);
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const json = async <T>(...args: string[]): Promise<T> => JSON.parse(ok(await mid("--json", ...args)).stdout) as T;

  beforeAll(async () => {
    node = await startLedgerNode({ dataDir: join(dir, "ledger") });
    ok(await runNode("scripts/deploy.ts", ["--rpc", node.url, "--out", join(dataDir, "network.json"), "--bootstrap"]));
  });
  afterAll(async () => {
    await node.stop();
  });

  it("keys → issued copies → import → a shop learns '19 or older' only → copies left", async () => {
    const lists = await json<{ pairs: { revocationListId: string; suspensionListId: string }[] }>("issuer", "lists", "--issuer", JONGNO.address, "--dev-account", "8");
    const pair = lists.pairs[0]!;
    ok(await mid("wallet", "create"));
    const keys = await json<{ kty: "EC"; crv: "P-256"; x: string; y: string }[]>("wallet", "keys", "--count", "3");
    expect(keys).toHaveLength(3);
    const keysFile = join(dir, "holder-keys.json");
    writeFileSync(keysFile, JSON.stringify(keys));
    const claimsFile = join(dir, "claims.json");
    writeFileSync(
      claimsFile,
      JSON.stringify({ familyName: "Hong", givenName: "Gildong", birthDate: "1990-01-01", residentRegistrationNumber: "900101-1234567", address: "1 Sejong-daero", issueDate: "2020-05-01" }),
    );
    const tooMany = await mid("--json", "issuer", "issue-sd-jwt", "--type", "ResidentIDCredential", "--claims-file", claimsFile, "--holder-keys", keysFile, "--copies", "4", "--issuer", JONGNO.address, "--dev-account", "8");
    expect(tooMany.code).toBe(2);
    expect(tooMany.stdout + tooMany.stderr).toContain("INVALID_ARGUMENT");
    const issued = ok(
      await mid("issuer", "issue-sd-jwt", "--type", "ResidentIDCredential", "--claims-file", claimsFile, "--holder-keys", keysFile, "--issuer", JONGNO.address, "--dev-account", "8"),
    );
    const batch = JSON.parse(issued.stdout) as { id: string; format: string; copies: string[]; statusListUri: string };
    expect(batch.format).toBe("dc+sd-jwt");
    expect(batch.copies).toHaveLength(3);
    expect(batch.statusListUri).toBe(`http://127.0.0.1:8080/status-lists/${pair.revocationListId}/${pair.suspensionListId}`);
    const copiesFile = join(dir, "copies.json");
    writeFileSync(copiesFile, issued.stdout);
    expect(ok(await mid("wallet", "import", "--file", copiesFile)).stdout).toContain("imported 3 SD-JWT VC copies: ResidentIDCredential");

    const request = ok(await mid("request", "--domain", "shop.example.kr", "--types", "ResidentIDCredential", "--claims", "age_equal_or_over.19")).stdout.trim();
    const requestFile = join(dir, "request.json");
    writeFileSync(requestFile, request);
    const answered = await json<{ presentation: string; disclosed: string[]; copiesRemaining: number }>("wallet", "present", "--file", requestFile, "--yes");
    expect(answered.disclosed).toEqual(["age_equal_or_over.19"]);
    expect(answered.copiesRemaining).toBe(2);
    const { challenge } = JSON.parse(request) as { challenge: string };
    const verified = await mid("--json", "verify", answered.presentation, "--challenge", challenge, "--domain", "shop.example.kr", "--types", "ResidentIDCredential", "--claims", "age_equal_or_over.19");
    expect(verified.code).toBe(0);
    const outcome = JSON.parse(verified.stdout) as { verified: boolean; credentials: { claims: unknown }[] };
    expect(outcome.credentials[0]?.claims).toEqual({ age_equal_or_over: { "19": true } });

    const listed = await json<{ format: string; copiesRemaining?: number; claims?: Record<string, unknown> }[]>("wallet", "list");
    const listedBatch = listed.find((c) => c.format === "dc+sd-jwt");
    expect(listedBatch?.copiesRemaining).toBe(2);
    expect(listedBatch?.claims?.["residentRegistrationNumber"]).toBe("900101-1******");

    // The issuer revokes the credential by the batch id: every copy at once, so the next copy is refused.
    ok(await mid("issuer", "revoke", batch.id, "--reason", "DEVICE_LOST", "--issuer", JONGNO.address, "--dev-account", "8"));
    const again = ok(await mid("request", "--domain", "bar.example.kr", "--types", "ResidentIDCredential", "--claims", "age_equal_or_over.19")).stdout.trim();
    writeFileSync(requestFile, again);
    const second = await json<{ presentation: string; copiesRemaining: number }>("wallet", "present", "--file", requestFile, "--yes");
    expect(second.copiesRemaining).toBe(1);
    const refused = await mid("--json", "verify", second.presentation, "--challenge", (JSON.parse(again) as { challenge: string }).challenge, "--domain", "bar.example.kr", "--types", "ResidentIDCredential", "--claims", "age_equal_or_over.19");
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ verified: false, code: "CREDENTIAL_REVOKED" });
  });
});
