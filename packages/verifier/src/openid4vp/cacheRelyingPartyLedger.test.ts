import { describe, expect, it } from "vitest";
import type { PermittedClaims, RelyingPartyLedger, RelyingPartyRegistration } from "@mobile-id/chain";
import { cacheRelyingPartyLedger } from "./cacheRelyingPartyLedger.ts";

function countingLedger(fail = false) {
  const calls = { registration: 0, claims: 0 };
  const ledger: RelyingPartyLedger = {
    relyingPartyAt: async () => {
      calls.registration++;
      if (fail) throw new Error("node down");
      return { name: `read ${calls.registration}` } as RelyingPartyRegistration;
    },
    permittedClaimsAt: async () => {
      calls.claims++;
      return { claims: [`c${calls.claims}`] } as unknown as PermittedClaims;
    },
  };
  return { ledger, calls };
}

describe("cacheRelyingPartyLedger", () => {
  it("reads once per block and question, and again once the block moves", async () => {
    const { ledger, calls } = countingLedger();
    let block: string | undefined = "0xaa";
    const cached = cacheRelyingPartyLedger({ ledger, block: () => block });
    expect((await cached.relyingPartyAt("0xAB", 100)).name).toBe("read 1");
    expect((await cached.relyingPartyAt("0xab", 100)).name).toBe("read 1");
    expect((await cached.relyingPartyAt("0xab", 101)).name).toBe("read 2");
    expect((await cached.permittedClaimsAt("0xab", "0x01", 100)).claims).toEqual(["c1"]);
    expect((await cached.permittedClaimsAt("0xab", "0x01", 100)).claims).toEqual(["c1"]);
    block = "0xbb";
    expect((await cached.relyingPartyAt("0xab", 100)).name).toBe("read 3");
    expect((await cached.permittedClaimsAt("0xab", "0x01", 100)).claims).toEqual(["c2"]);
    block = undefined;
    await cached.relyingPartyAt("0xab", 100);
    await cached.relyingPartyAt("0xab", 100);
    expect(calls).toEqual({ registration: 5, claims: 2 });
  });

  it("does not keep a failed read (the next call asks again, fail closed each time)", async () => {
    const { ledger, calls } = countingLedger(true);
    const cached = cacheRelyingPartyLedger({ ledger, block: () => "0xaa" });
    await expect(cached.relyingPartyAt("0xab", 1)).rejects.toThrow("node down");
    await expect(cached.relyingPartyAt("0xab", 1)).rejects.toThrow("node down");
    expect(calls.registration).toBe(2);
  });
});
