import { describe, expect, it } from "vitest";
import { decodeRefreshGrant } from "../openid4vci/refreshGrant.ts";
import { type PresentationRecord, decodePresentationRecord } from "./presentationRecord.ts";

const RECORD: PresentationRecord = {
  id: "0123456789abcdef0123456789abcdef",
  at: 1_767_225_600,
  relyingParty: { did: "did:ethr:0x7a69:0x0000000000000000000000000000000000000001", clientId: "decentralized_identifier:did:ethr:0x7a69:0x0000000000000000000000000000000000000001", name: "동네 편의점" },
  purpose: "연령 확인",
  credentials: [{ queryId: "resident", type: "ResidentIDCredential", format: "dc+sd-jwt", claims: ["age_equal_or_over.19"] }],
  outcome: "shared",
};

describe("stored presentation records and refresh grants are read strictly", () => {
  it("round-trips a record (with and without a code)", () => {
    expect(decodePresentationRecord(JSON.parse(JSON.stringify(RECORD)))).toEqual(RECORD);
    expect(decodePresentationRecord({ ...RECORD, outcome: "refused", code: "RELYING_PARTY_SUSPENDED" })).toMatchObject({ code: "RELYING_PARTY_SUSPENDED" });
  });

  it.each([
    ["an unknown field", { ...RECORD, extra: 1 }],
    ["a short id", { ...RECORD, id: "abc" }],
    ["a negative time", { ...RECORD, at: -1 }],
    ["an unknown outcome", { ...RECORD, outcome: "leaked" }],
    ["a relying party without a name", { ...RECORD, relyingParty: { did: "x", clientId: "y" } }],
    ["claims that are not strings", { ...RECORD, credentials: [{ ...RECORD.credentials[0], claims: [1] }] }],
    ["a claim value smuggled in", { ...RECORD, credentials: [{ ...RECORD.credentials[0], values: { givenName: "길동" } }] }],
  ])("refuses a record with %s (WALLET_TAMPERED)", (_name, value) => {
    expect(() => decodePresentationRecord(value)).toThrow(expect.objectContaining({ code: "WALLET_TAMPERED" }));
  });

  it("refuses a refresh grant that is not one (WALLET_TAMPERED)", () => {
    const grant = { batch: "a".repeat(64), credentialIssuer: "https://x.example.kr/issuers/a", configurationId: "ResidentIDCredential.dc+sd-jwt", issuerDid: "did:ethr:0x7a69:0x01", refreshToken: "t", createdAt: 1 };
    expect(decodeRefreshGrant(grant)).toEqual(grant);
    for (const bad of [{ ...grant, batch: "x" }, { ...grant, refreshToken: "" }, { ...grant, more: 1 }, { ...grant, createdAt: 1.5 }]) {
      expect(() => decodeRefreshGrant(bad)).toThrow(expect.objectContaining({ code: "WALLET_TAMPERED" }));
    }
  });
});
