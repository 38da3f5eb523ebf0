/**
 * The article's story, end to end, with real processes: a ledger node (anvil), the deploy script, and the
 * `mid` command line for every actor, each invocation a separate process, as people would run them.
 *
 * The Interior Ministry (root) accredits the Ministry of Education, which accredits a university; the
 * university issues a student ID to a holder's wallet; the holder presents it to a library's verifier, which
 * accepts; the university suspends it (phone lost) and the verifier rejects with CREDENTIAL_SUSPENDED;
 * reinstated, accepted; revoked on graduation, rejected; the ministry suspends the university, and its
 * credentials are rejected with ISSUER_SUSPENDED; the auditor's report shows all of it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LedgerNode, startLedgerNode } from "@mobile-id/chain";
import { type RunResult, runNode } from "../support/run.ts";

const ROOT = { account: "0", address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" };
const MOE = { account: "1", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" };
const UNIVERSITY = { account: "5", address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" };
const LIBRARY = "library.snu.ac.kr";

describe("the article's story: a student ID from ministry to library counter", () => {
  const dir = mkdtempSync(join(tmpdir(), "mid-story-"));
  const dataDir = join(dir, "data");
  const env = { MID_WALLET_PASSPHRASE: "한강 correct horse battery", MID_KEY: "", MID_TRUST_ROOT: ROOT.address };
  let node: LedgerNode;
  let holderDid = "";
  let credentialId = "";
  let secondCredentialId = "";

  const mid = (...args: string[]): Promise<RunResult> => runNode("packages/cli/bin/mid.js", ["--data-dir", dataDir, ...args], env);
  const midJson = async (...args: string[]): Promise<{ code: number | null; body: Record<string, unknown> }> => {
    const r = await mid("--json", ...args);
    return { code: r.code, body: JSON.parse(r.stdout) as Record<string, unknown> };
  };
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  };

  /** The library asks; the holder's wallet answers with consent; the library verifies. */
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
    node = await startLedgerNode({ dataDir: join(dir, "ledger") });
    ok(await runNode("scripts/deploy.ts", ["--rpc", node.url, "--out", join(dataDir, "network.json")]));
  });
  afterAll(async () => {
    await node.stop();
  });

  it("the Interior Ministry accredits the Ministry of Education for student IDs", async () => {
    ok(await mid("gov", "register-accreditor", MOE.address, "교육부 Ministry of Education", "--dev-account", ROOT.account));
    ok(await mid("gov", "register-type", "StudentIDCredential", MOE.address, "--dev-account", ROOT.account));
    ok(await mid("gov", "accredit-accreditor", MOE.address, "StudentIDCredential", "--until", "2036-01-01T00:00:00Z", "--dev-account", ROOT.account));
  });

  it("the Ministry of Education accredits a university, within its own scope only", async () => {
    ok(await mid("gov", "register-issuer", UNIVERSITY.address, "서울대학교 Seoul National University", "--as", MOE.address, "--dev-account", MOE.account));
    const tooLong = await mid("gov", "accredit-issuer", UNIVERSITY.address, "StudentIDCredential", "--as", MOE.address, "--until", "2040-01-01T00:00:00Z", "--dev-account", MOE.account);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toContain("AccreditationRegistryWindowOutOfScope");
    ok(await mid("gov", "accredit-issuer", UNIVERSITY.address, "StudentIDCredential", "--as", MOE.address, "--until", "2030-01-01T00:00:00Z", "--dev-account", MOE.account));
  });

  it("the university issues a student ID to the holder's wallet", async () => {
    const created = await midJson("wallet", "create");
    expect(created.code).toBe(0);
    holderDid = created.body["did"] as string;
    expect(holderDid).toMatch(/^did:ethr:0x7a69:0x0[23][0-9a-f]{64}$/);
    ok(await mid("issuer", "lists", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account));
    const claims = JSON.stringify({ familyName: "김", givenName: "민준", studentNumber: "2026-12345", institution: "서울대학교", enrollmentStatus: "enrolled" });
    const issued = await midJson("issuer", "issue", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account, "--type", "StudentIDCredential", "--holder", holderDid, "--claims", claims);
    expect(issued.code).toBe(0);
    credentialId = issued.body["id"] as string;
    const imported = await mid("wallet", "import", issued.body["jwt"] as string);
    ok(imported);
    expect(imported.stdout).toContain("imported: StudentIDCredential");
  });

  it("the holder presents it at the library counter: accepted, with the claims shared", async () => {
    const { code, outcome } = await presentAtLibrary();
    expect(code).toBe(0);
    expect(outcome["verified"]).toBe(true);
    expect(outcome["holder"]).toBe(holderDid);
    const [credential] = outcome["credentials"] as { type: string; claims: Record<string, unknown> }[];
    expect(credential?.type).toBe("StudentIDCredential");
    expect(credential?.claims["studentNumber"]).toBe("2026-12345");
  });

  it("the phone is lost: the university suspends the credential, the library rejects it", async () => {
    ok(await mid("issuer", "suspend", credentialId, "--reason", "DEVICE_LOST", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account));
    const { code, outcome } = await presentAtLibrary();
    expect(code).toBe(1);
    expect(outcome["code"]).toBe("CREDENTIAL_SUSPENDED");
  });

  it("the phone is found: reinstated, accepted again", async () => {
    ok(await mid("issuer", "reinstate", credentialId, "--reason", "REVIEW_CLEARED", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account));
    const { code, outcome } = await presentAtLibrary();
    expect(code).toBe(0);
    expect(outcome["verified"]).toBe(true);
  });

  it("on graduation the university revokes it: rejected, and it can never be reinstated", async () => {
    ok(await mid("issuer", "revoke", credentialId, "--reason", "GRADUATION", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account));
    const { code, outcome } = await presentAtLibrary();
    expect(code).toBe(1);
    expect(outcome["code"]).toBe("CREDENTIAL_REVOKED");
    const back = await mid("issuer", "reinstate", credentialId, "--reason", "REVIEW_CLEARED", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account);
    expect(back.code).toBe(1);
  });

  it("the ministry suspends the university: its credentials are rejected with ISSUER_SUSPENDED", async () => {
    const claims = JSON.stringify({ familyName: "김", givenName: "민준", studentNumber: "2027-00001", institution: "서울대학교", enrollmentStatus: "enrolled" });
    const issued = await midJson("issuer", "issue", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account, "--type", "StudentIDCredential", "--holder", holderDid, "--claims", claims);
    expect(issued.code).toBe(0);
    secondCredentialId = issued.body["id"] as string;
    ok(await mid("wallet", "import", issued.body["jwt"] as string));
    expect((await presentAtLibrary()).code).toBe(0);

    ok(await mid("gov", "suspend", UNIVERSITY.address, "StudentIDCredential", "--as", MOE.address, "--reason", "AUDIT_FINDING", "--dev-account", MOE.account));
    const { code, outcome } = await presentAtLibrary();
    expect(code).toBe(1);
    expect(outcome["code"]).toBe("ISSUER_SUSPENDED");
    // And the suspended university cannot issue any more.
    const refused = await mid("issuer", "issue", "--issuer", UNIVERSITY.address, "--dev-account", UNIVERSITY.account, "--type", "StudentIDCredential", "--holder", holderDid, "--claims", claims);
    expect(refused.code).toBe(1);
  });

  it("the auditor's reports show all of it", async () => {
    const history = await midJson("audit", "history", UNIVERSITY.address);
    expect(history.code).toBe(0);
    const historyText = JSON.stringify(history.body);
    for (const s of ["Active", "Suspended", "AUDIT_FINDING"]) expect(historyText).toContain(s);

    const governance = await midJson("audit", "governance");
    const governanceText = JSON.stringify(governance.body);
    for (const name of ["Ministry of Education", "Seoul National University", "StudentIDCredential"]) expect(governanceText).toContain(name);

    const activity = ok(await mid("audit", "activity", "--format", "csv")).stdout;
    const row = activity.split("\n").find((l) => l.includes(UNIVERSITY.address));
    expect(row).toBeDefined();
    // One revocation, two suspensions-or-reinstatements: suspended 1, reinstated 1, revoked 1.
    const [, , , revoked, suspended, reinstated] = (row ?? "").split(",");
    expect([revoked, suspended, reinstated]).toEqual(["1", "1", "1"]);

    const inForce = await midJson("audit", "in-force", "StudentIDCredential");
    expect(JSON.stringify(inForce.body)).toContain("Suspended");

    const consistency = await mid("audit", "consistency");
    expect(consistency.code).toBe(0);
    expect(consistency.stdout).toContain("consistent:");
    expect(secondCredentialId).not.toBe("");
  });
});
