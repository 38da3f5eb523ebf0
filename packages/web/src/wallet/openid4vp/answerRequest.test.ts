import { createDecipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Vault } from "../sdjwt/vault.ts";
import { type PostForm, declineVpRequest, shareVpAnswer } from "./answerRequest.ts";
import type { VpPlan } from "./resolveRequest.ts";

const plan: VpPlan = {
  clientId: "decentralized_identifier:did:ethr:0x7a69:0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
  party: { did: "did:ethr:0x7a69:0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", name: "검증 창구", purpose: "연령 확인" },
  nonce: "n".repeat(43),
  state: "state-1",
  responseUri: "http://127.0.0.1:8081/verifier/openid4vp/responses/AbCdEf0123456789",
  expiresAt: 2_000_000_000,
  cards: [],
  missing: [],
  askedTypes: ["DriversLicenseCredential"],
};

function recorder(status: number, body = "{}"): { post: PostForm; sent: { url: string; form: Readonly<Record<string, string>> }[] } {
  const sent: { url: string; form: Readonly<Record<string, string>> }[] = [];
  return { sent, post: async (url, form) => (sent.push({ url, form }), { status, body }) };
}

describe("the web wallet's OpenID4VP answer", () => {
  it("a decline posts error=access_denied with the request's state to its response_uri, so the counter knows at once", async () => {
    const r = recorder(200);
    expect(await declineVpRequest({ plan, post: r.post })).toEqual({ outcome: "declined", delivered: true });
    expect(r.sent).toEqual([{ url: plan.responseUri, form: { error: "access_denied", error_description: "the holder declined", state: "state-1" } }]);
    expect(await declineVpRequest({ plan, post: async () => Promise.reject(new Error("offline")) })).toEqual({ outcome: "declined", delivered: false });
  });

  it("an answer is a vp_token keyed by credential query id with the state; a refusal gives the verifier's stable code", async () => {
    const ok = recorder(200);
    expect(await shareVpAnswer({ plan, vault: {} as Vault, post: ok.post })).toEqual({ outcome: "shared", copiesLeft: [] });
    expect(ok.sent[0]).toEqual({ url: plan.responseUri, form: { vp_token: "{}", state: "state-1" } });
    const refused = recorder(400, JSON.stringify({ error: "invalid_request", error_description: "revoked", mobile_id_code: "CREDENTIAL_REVOKED" }));
    expect(await shareVpAnswer({ plan, vault: {} as Vault, post: refused.post })).toEqual({ outcome: "rejected", code: "CREDENTIAL_REVOKED", status: 400 });
    const bare = recorder(503, "busy");
    expect(await shareVpAnswer({ plan, vault: {} as Vault, post: bare.post })).toEqual({ outcome: "rejected", code: "HTTP_503", status: 503 });
  });

  it("direct_post.jwt: the same fields, encrypted (ECDH-ES, P-256, A128GCM) to the request's key, as one `response`", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pub = publicKey.export({ format: "jwk" }) as { x: string; y: string };
    const r = recorder(200);
    const encrypted = { ...plan, encryption: { key: { x: pub.x, y: pub.y, kid: "k1" }, enc: "A128GCM" as const } };
    expect(await declineVpRequest({ plan: encrypted, post: r.post })).toEqual({ outcome: "declined", delivered: true });
    expect(Object.keys(r.sent[0]!.form)).toEqual(["response"]);
    // Opened here as a verifier does (RFC 7518 §4.6, empty apu/apv).
    const [h, ek, iv, ct, tag] = r.sent[0]!.form["response"]!.split(".") as [string, string, string, string, string];
    expect(ek).toBe("");
    const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { alg: string; enc: string; kid: string; epk: { x: string; y: string } };
    expect(header).toMatchObject({ alg: "ECDH-ES", enc: "A128GCM", kid: "k1" });
    const z = diffieHellman({ privateKey, publicKey: createPublicKey({ key: { kty: "EC", crv: "P-256", ...header.epk }, format: "jwk" }) });
    const u32 = (n: number) => Buffer.from([0, 0, 0, n]);
    const cek = createHash("sha256").update(Buffer.concat([u32(1), z, u32(7), Buffer.from("A128GCM"), u32(0), u32(0), u32(128)])).digest().subarray(0, 16);
    const d = createDecipheriv("aes-128-gcm", cek, Buffer.from(iv, "base64url"));
    d.setAAD(Buffer.from(h, "ascii"));
    d.setAuthTag(Buffer.from(tag, "base64url"));
    const fields = JSON.parse(Buffer.concat([d.update(Buffer.from(ct, "base64url")), d.final()]).toString()) as Record<string, unknown>;
    expect(fields).toEqual({ error: "access_denied", error_description: "the holder declined", state: "state-1" });
  });
});
