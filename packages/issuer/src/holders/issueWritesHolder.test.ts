import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { ReasonCode } from "@mobile-id/core";
import { createSyntheticPortrait, portraitDataUri } from "@mobile-id/core/sd-jwt-vc";
import { nodeP256Signer } from "@mobile-id/core/sd-jwt-vc/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Issuer } from "../createIssuer.ts";
import { type Testbed, newHolder, startTestbed, studentClaims } from "../testing.ts";

describe("issuing writes the holder index (in-process chain)", () => {
  let tb: Testbed;
  let issuer: Issuer;
  beforeAll(async () => {
    tb = await startTestbed();
    issuer = await tb.open({ holderIndex: { path: join(tb.dir, "holders.sqlite"), keyPath: join(tb.dir, "holders.key") } });
    await issuer.ensureStatusLists();
    await tb.syncClock();
  });
  afterAll(async () => {
    await issuer.close();
    await tb.net.chain.close();
  });

  it("finds a JWT-VC by student number and name, with its status, and an SD-JWT VC batch with its portrait thumbnail", async () => {
    const jwt = await issuer.issue({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims({ studentNumber: "2026-70001", familyName: "Han", givenName: "Gyeol" }) });
    const [many] = await issuer.issueMany([{ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims({ studentNumber: "2026-70002" }) }]);
    const portrait = portraitDataUri(createSyntheticPortrait({ seed: 5 }));
    const batch = await issuer.issueSdJwtVc({
      type: "StudentIDCredential",
      claims: { ...studentClaims({ studentNumber: "2026-70003", familyName: "Han", givenName: "Byeol" }), portrait },
      holderKeys: [nodeP256Signer(randomBytes(32)).publicJwk, nodeP256Signer(randomBytes(32)).publicJwk],
      statusListBaseUrl: "http://services.test",
    });
    const [a] = issuer.findHolders({ reference: "2026-70001" });
    expect(a).toMatchObject({ familyName: "Han", givenName: "Gyeol", type: "StudentIDCredential", format: "jwt_vc_json", credentials: [{ id: jwt.id, status: "active" }] });
    expect(a?.thumbnail).toBeUndefined();
    expect(issuer.findHolders({ reference: "2026-70002" })[0]?.credentials[0]?.id).toBe(many?.id);
    expect(issuer.findHolders({ name: "han" }).map((m) => m.reference)).toEqual(["2026-70003", "2026-70001"]);
    const b = issuer.findHolders({ credentialId: `${batch.id}.1` })[0]; // a copy's id, as the records list shows it
    expect(b).toMatchObject({ reference: "2026-70003", format: "dc+sd-jwt", credentials: [{ id: batch.id, status: "active" }] });
    expect(b?.thumbnail?.startsWith("data:image/jpeg;base64,")).toBe(true);

    await issuer.suspend({ ids: [jwt.id], reason: ReasonCode.ADMINISTRATIVE });
    expect(issuer.findHolders({ reference: "2026-70001" })[0]?.credentials[0]?.status).toBe("suspended");
    // A refresh adds copies, not another person.
    await issuer.issueSdJwtVc({ type: "StudentIDCredential", claims: { ...studentClaims({ studentNumber: "2026-70003" }), portrait }, holderKeys: [nodeP256Signer(randomBytes(32)).publicJwk], statusListBaseUrl: "http://services.test", refresh: batch.id });
    expect(issuer.findHolders({ reference: "2026-70003" })).toHaveLength(1);
  });

  it("refuses look-ups on an issuer that keeps no holder index", async () => {
    const plain = await tb.open();
    expect(() => plain.findHolders({ name: "x" })).toThrow(expect.objectContaining({ code: "HOLDER_INDEX_DISABLED" }));
    await plain.close();
  });
});
