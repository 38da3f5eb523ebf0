/**
 * The article's story over the standard protocols, every actor a real process and every side ours (issue 11):
 * `pnpm start` (ledger node, issuer, verifier counter), the agency's console call that makes an OpenID4VCI offer from
 * its own record (no DID), `mid wallet receive` with the 6-digit code, the counter's OpenID4VP request (DCQL: "19 or
 * older" of a driver's licence), `mid wallet answer` sharing exactly that claim, in clear or encrypted
 * (`direct_post.jwt`); a decline reaches the counter at once; after the licence office revokes the card, the next answer is rejected as revoked.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSyntheticPortrait, portraitDataUri } from "@mobile-id/core/sd-jwt-vc";
import { NetworkProcess } from "../support/networkProcess.ts";
import { type RunResult, runNode } from "../support/run.ts";

const ROOT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const AGE_QUERY = {
  credentials: [
    {
      id: "licence",
      format: "dc+sd-jwt",
      meta: { vct_values: ["urn:mobile-id:vct:DriversLicenseCredential:1"] },
      claims: [{ path: ["age_equal_or_over", "19"] }],
    },
  ],
};

interface CounterRequest {
  readonly id: string;
  readonly link: string;
  readonly counterToken: string;
}

describe("the story over OpenID4VCI and OpenID4VP: pnpm start, mid wallet, the counter API", () => {
  const dir = mkdtempSync(join(tmpdir(), "mid-oid4vc-story-"));
  const walletDir = join(dir, "wallet");
  let net: NetworkProcess;
  let agencyKey: string;
  const env = () => ({ MID_WALLET_PASSPHRASE: "남산 타워 2026 겨울", MID_KEY: "", MID_TRUST_ROOT: ROOT, MID_DESCRIPTOR: join(net.dataDir, "network.json") });
  const mid = (...args: string[]): Promise<RunResult> => runNode("packages/cli/bin/mid.js", ["--data-dir", walletDir, ...args], env());
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${net.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const counterRequest = async (responseMode: "direct_post" | "direct_post.jwt" = "direct_post"): Promise<CounterRequest> => {
    const r = await api("POST", "/verifier/openid4vp/requests", { dcqlQuery: AGE_QUERY, responseMode });
    expect(r.status).toBe(201);
    return r.body as unknown as CounterRequest;
  };
  const counterResult = async (req: CounterRequest) =>
    (await api("GET", `/verifier/openid4vp/requests/${req.id}/result`, undefined, req.counterToken)).body as {
      state: string;
      outcome?: { verified?: boolean; code?: string; claims?: Record<string, unknown>; credentials?: unknown[] } & Record<string, unknown>;
    };

  beforeAll(async () => {
    net = await NetworkProcess.start({ requestsPerMinute: null });
    await net.waitHealthy(120_000);
    agencyKey = (await net.apiKeys())["seoul-license"] as string;
    ok(await mid("wallet", "create"));
  }, 180_000);
  afterAll(async () => {
    await net?.stop();
  });

  let credentialId: string;

  it("the licence office makes an offer from its own record; `mid wallet receive` asks no DID and gets the copies", async () => {
    const offer = await api(
      "POST",
      "/issuers/seoul-license/openid4vci/offers",
      {
        credentialType: "DriversLicenseCredential",
        formats: ["dc+sd-jwt"],
        reference: "11-24-123456-78",
        copies: 4,
        claims: {
          familyName: "김",
          givenName: "민준",
          birthDate: "1990-03-15",
          portrait: portraitDataUri(createSyntheticPortrait({ seed: 7 })),
          licenseNumber: "11-24-123456-78",
          licenseClasses: ["1-ordinary"],
          address: "서울특별시 종로구 세종대로 1",
          aptitudeTestFrom: "2034-06-01",
          aptitudeTestUntil: "2034-12-31",
          renewalDate: "2034-12-31",
        },
      },
      agencyKey,
    );
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    const { offerUri, txCode, offerId } = offer.body as { offerUri: string; txCode: string; offerId: string };
    expect(offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    expect(txCode).toMatch(/^\d{6}$/);

    const wrong = await mid("--json", "wallet", "receive", offerUri, "--tx-code", txCode === "000000" ? "111111" : "000000");
    expect(JSON.parse(wrong.stdout)).toMatchObject({ error: { details: { error: "invalid_grant" } } });
    const received = JSON.parse(ok(await mid("--json", "wallet", "receive", offerUri, "--tx-code", txCode)).stdout) as {
      received: { format: string; batch: { copies: number; type: string } }[];
    };
    expect(received.received).toMatchObject([{ format: "dc+sd-jwt", batch: { type: "DriversLicenseCredential", copies: 4 } }]);
    // The offer is one-time: the same link and code get nothing more.
    const again = await mid("--json", "wallet", "receive", offerUri, "--tx-code", txCode);
    expect(again.code).toBe(1);

    const status = (await api("GET", `/issuers/seoul-license/openid4vci/offers/${offerId}/status`, undefined, agencyKey)).body as {
      state: string;
      credentials: Record<string, { id: string }>;
    };
    expect(status.state).toBe("issued");
    credentialId = status.credentials["dc+sd-jwt"]?.id as string;
    expect(credentialId).toBeTruthy();
  }, 120_000);

  it("the counter asks only \"19 or older\": the wallet shares that one claim, the counter sees true and nothing else", async () => {
    const req = await counterRequest();
    expect(req.link).toMatch(/^openid4vp:\/\//);
    const answered = JSON.parse(ok(await mid("--json", "wallet", "answer", req.link, "--yes")).stdout) as { outcome: string; shared: { claims: string[] }[] };
    expect(answered).toMatchObject({ outcome: "shared", shared: [{ claims: ["age_equal_or_over.19"] }] });
    const result = await counterResult(req);
    expect(result.state).toBe("verified");
    const text = JSON.stringify(result.outcome);
    expect(text).toContain("age_equal_or_over");
    for (const secret of ["민준", "1990", "11-24-123456-78", "portrait", "birthDate"]) expect(text).not.toContain(secret);
  }, 120_000);

  it("an encrypted answer (direct_post.jwt, as the counter page asks): shared and verified; an encrypted decline reaches the counter", async () => {
    const req = await counterRequest("direct_post.jwt");
    expect(JSON.parse(ok(await mid("--json", "wallet", "answer", req.link, "--yes")).stdout)).toMatchObject({ outcome: "shared" });
    const result = await counterResult(req);
    expect(result.state).toBe("verified");
    expect(JSON.stringify(result.outcome)).toContain("age_equal_or_over");
    const declined = await counterRequest("direct_post.jwt");
    expect(JSON.parse(ok(await mid("--json", "wallet", "answer", declined.link, "--decline")).stdout)).toMatchObject({ outcome: "declined", delivered: true });
    expect((await counterResult(declined)).state).toBe("declined");
  }, 120_000);

  it("a decline reaches the counter at once", async () => {
    const req = await counterRequest();
    expect(JSON.parse(ok(await mid("--json", "wallet", "answer", req.link, "--decline")).stdout)).toMatchObject({ outcome: "declined", delivered: true });
    expect((await counterResult(req)).state).toBe("declined");
  }, 120_000);

  it("after the licence office revokes the card, the next answer is rejected as revoked", async () => {
    const revoked = await api("POST", "/issuers/seoul-license/credentials/status", { action: "revoke", ids: [credentialId], reason: "MISCONDUCT" }, agencyKey);
    expect(revoked.status, JSON.stringify(revoked.body)).toBeLessThan(300);
    // The counter's mirror follows the ledger within a block or two.
    let state = "";
    let outcome: Record<string, unknown> | undefined;
    for (let attempt = 0; attempt < 20 && state !== "rejected"; attempt++) {
      const req = await counterRequest();
      await mid("--json", "wallet", "answer", req.link, "--yes");
      const r = await counterResult(req);
      state = r.state;
      outcome = r.outcome;
      if (state !== "rejected") await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(state).toBe("rejected");
    expect(JSON.stringify(outcome)).toContain("REVOKED");
  }, 120_000);
});
