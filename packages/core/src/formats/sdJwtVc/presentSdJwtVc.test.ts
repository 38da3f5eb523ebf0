import { describe, expect, it } from "vitest";
import { decodeBase64url } from "../../base64url.ts";
import { acceptsSdJwtVc, parseSdJwtVc } from "./parseSdJwtVc.ts";
import { presentSdJwtVc, presentationFrameOf } from "./presentSdJwtVc.ts";
import { NOW, digestOf, issueSample } from "./testing.ts";
import { createSecp256k1Signer } from "./crypto.ts";

const json = (b64: string): unknown => JSON.parse(new TextDecoder().decode(decodeBase64url(b64)));

describe("presentSdJwtVc", () => {
  it("discloses only the requested claims and binds aud, nonce, iat and sd_hash with the copy's key", async () => {
    const { copies, holders } = await issueSample("StudentIDCredential");
    const vp = await presentSdJwtVc({
      credential: copies[0] as string,
      claims: ["familyName", "enrollmentStatus", ["age_equal_or_over", "19"]],
      audience: "library.example",
      nonce: "n-1",
      issuedAt: NOW,
      holderSigner: holders[0] as never,
    });
    const r = parseSdJwtVc(vp);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.disclosures.map((d) => d.name).sort()).toEqual(["19", "enrollmentStatus", "familyName"]);
    const kb = r.value.keyBinding;
    expect(kb?.header).toEqual({ typ: "kb+jwt", alg: "ES256" });
    expect(kb?.payload).toEqual({ iat: NOW, aud: "library.example", nonce: "n-1", sd_hash: r.value.sdHash });
    expect(r.value.sdHash).toBe(digestOf(vp.slice(0, vp.lastIndexOf("~") + 1)));
  });

  it("an age-only answer stays within 2,500 bytes and carries no other disclosure", async () => {
    const { copies, holders } = await issueSample("ResidentIDCredential");
    const vp = await presentSdJwtVc({
      credential: copies[0] as string,
      claims: [["age_equal_or_over", "19"]],
      audience: "shop.example",
      nonce: "x".repeat(43),
      issuedAt: NOW,
      holderSigner: holders[0] as never,
    });
    expect(vp.length).toBeLessThanOrEqual(2500);
    const disclosed = vp.split("~").slice(1, -1).map((d) => json(d));
    expect(disclosed).toHaveLength(1);
    expect((disclosed[0] as unknown[]).slice(1)).toEqual(["19", true]);
  });

  it("two verifiers given two copies receive nothing in common beyond issuer, type, hour, expiry and list URI", async () => {
    const { copies, holders } = await issueSample("StudentIDCredential", 2);
    const claims = ["familyName", ["age_equal_or_over", "19"]] as const;
    const [a, b] = await Promise.all(
      [0, 1].map(async (i) => {
        const vp = await presentSdJwtVc({ credential: copies[i] as string, claims, audience: `v${i}.example`, nonce: `n${i}`, issuedAt: NOW, holderSigner: holders[i] as never });
        const r = parseSdJwtVc(vp);
        if (!r.ok) throw new Error(r.message);
        return { vp, parsed: r.value };
      }),
    );
    if (a === undefined || b === undefined) throw new Error("unreachable");
    // No token segment, salt or digest is shared.
    const pieces = (x: typeof a) => [
      ...x.vp.split(/[~.]/),
      ...x.parsed.disclosures.map((d) => (json(d.encoded) as string[])[0] as string),
      ...(x.parsed.issuerJwt.payload._sd as string[]),
      x.parsed.sdHash,
    ];
    const shared = pieces(a).filter((p) => pieces(b).includes(p));
    // Only the two JOSE headers (same issuer key and typ; the KB-JWT's fixed typ and alg) are byte-identical.
    expect(shared).toEqual([a.vp.split(".")[0], a.parsed.keyBinding?.signingInput.split(".")[0]]);
    const common = Object.entries(a.parsed.issuerJwt.payload)
      .filter(([k, v]) => JSON.stringify(b.parsed.issuerJwt.payload[k]) === JSON.stringify(v))
      .map(([k]) => k);
    expect(common.sort()).toEqual(["_sd_alg", "exp", "iat", "iss", "vct"]);
    expect((a.parsed.issuerJwt.payload.status as { status_list: { uri: string } }).status_list.uri).toBe(
      (b.parsed.issuerJwt.payload.status as { status_list: { uri: string } }).status_list.uri,
    );
  });

  it("refuses a holder signer that is not ES256", async () => {
    const { copies } = await issueSample("StudentIDCredential");
    await expect(
      presentSdJwtVc({
        credential: copies[0] as string,
        claims: [],
        audience: "a",
        nonce: "n",
        issuedAt: NOW,
        holderSigner: createSecp256k1Signer(new Uint8Array(32).fill(3), "did:x#k"),
      }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("is recognised as SD-JWT, as issued and as presented; a compact JWT and other values are not", async () => {
    const { copies, holders } = await issueSample("StudentIDCredential");
    const vp = await presentSdJwtVc({ credential: copies[0] as string, claims: [], audience: "a", nonce: "n", issuedAt: NOW, holderSigner: holders[0] as never });
    expect([acceptsSdJwtVc(copies[0]), acceptsSdJwtVc(vp)]).toEqual([true, true]);
    const jwt = (copies[0] as string).split("~")[0] as string;
    for (const x of [jwt, `~${jwt}`, "a.b~c", "~", 42, undefined]) expect(acceptsSdJwtVc(x)).toBe(false);
  });

  it("builds nested presentation frames from claim paths", () => {
    expect(presentationFrameOf(["a", ["b", "c"], ["b", "d"], []])).toEqual({ a: true, b: { c: true, d: true } });
  });
});
