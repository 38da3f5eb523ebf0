import { describe, expect, it } from "vitest";
import { combineWithLastKnown } from "./lastStatus.ts";

describe("last known card status (the rule)", () => {
  it("a definitive answer is stamped and remembered; offline shows the remembered one, stale", () => {
    const fresh = combineWithLastKnown(undefined, { state: "valid", issuerName: "서울대학교", block: 7, blockTime: 100 }, 1000);
    expect(fresh).toMatchObject({ remember: true, status: { state: "valid", checkedAt: 1000, stale: false } });
    const offline = combineWithLastKnown(fresh.status, { state: "unknown" }, 2000);
    expect(offline).toMatchObject({ remember: false, status: { state: "valid", issuerName: "서울대학교", checkedAt: 1000, stale: true } });
  });

  it("a later definitive answer replaces the remembered one; an unknown WITH a ledger answer is definitive", () => {
    const last = combineWithLastKnown(undefined, { state: "valid", block: 1 }, 1000).status;
    expect(combineWithLastKnown(last, { state: "revoked", block: 2 }, 1500)).toMatchObject({ remember: true, status: { state: "revoked", checkedAt: 1500 } });
    expect(combineWithLastKnown(last, { state: "unknown", block: 3, code: "STATUS_INVALID" }, 1600)).toMatchObject({ remember: true, status: { state: "unknown" } });
  });

  it("an unknown without a reason code is 'could not check' even with a block (issuer facts cached, lists unreachable): the remembered status stays", () => {
    const last = combineWithLastKnown(undefined, { state: "valid", issuerName: "서울대학교", block: 2 }, 1000).status;
    const partial = combineWithLastKnown(last, { state: "unknown", issuerName: "서울대학교", block: 3 }, 2000);
    expect(partial).toMatchObject({ remember: false, status: { state: "valid", checkedAt: 1000, stale: true } });
  });

  it("without anything remembered, offline stays unknown", () => {
    expect(combineWithLastKnown(undefined, { state: "unknown" }, 1)).toEqual({ status: { state: "unknown" }, remember: false });
  });
});
