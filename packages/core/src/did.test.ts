import { describe, expect, it } from "vitest";
import { parseEthrDid, toEthrDid } from "./did.ts";

describe("did:ethr helpers", () => {
  const address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  it("writes the chain id in hex and round-trips", () => {
    const did = toEthrDid(31337, address);
    expect(did).toBe("did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    expect(parseEthrDid(did)).toEqual({ did, chainId: 31337n, address });
  });

  it.each([
    "did:ethr:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", // no chain id: mainnet, never ours
    "did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb9226", // short address
    "did:ethr:dev:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", // named network
    "did:web:example.com",
    "did:ethr:0x7a69:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266#controller",
    "",
  ])("refuses %j", (did) => {
    expect(parseEthrDid(did)).toBeUndefined();
  });

  it("refuses to build a DID from a non-address", () => {
    expect(() => toEthrDid(1, "0x1234")).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
