import { describe, expect, it } from "vitest";
import { SigningKey } from "ethers";
import { PUBLIC_KEY_ETHR_DID_PATTERN, matchEthrDid, parseEthrDid, toEthrDid, toPublicKeyEthrDid } from "./did.ts";

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

describe("the one did:ethr grammar", () => {
  it("matchEthrDid splits chain id and identifier, refusing a DID without a chain id", () => {
    expect(matchEthrDid("did:ethr:0x7a69:0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).toEqual({ chainId: 31337n, id: "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266" });
    expect(matchEthrDid(`did:ethr:0x1:0x02${"ab".repeat(32)}`)).toEqual({ chainId: 1n, id: `0x02${"ab".repeat(32)}` });
    expect(matchEthrDid("did:ethr:0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")).toBeUndefined();
    expect(matchEthrDid(`did:ethr:0x7a69:0x04${"ab".repeat(32)}`)).toBeUndefined();
  });

  it("PUBLIC_KEY_ETHR_DID_PATTERN (the web form's input pattern) matches public-key DIDs only", () => {
    const whole = new RegExp(`^(?:${PUBLIC_KEY_ETHR_DID_PATTERN})$`, "v");
    expect(whole.test(toPublicKeyEthrDid(31337, new SigningKey(`0x${"11".repeat(32)}`).publicKey))).toBe(true);
    expect(whole.test(toEthrDid(31337, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"))).toBe(false);
    expect(whole.test(`did:ethr:0x02${"ab".repeat(32)}`)).toBe(false);
  });
});
