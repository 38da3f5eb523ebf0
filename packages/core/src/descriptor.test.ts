import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import {
  DESCRIPTOR_FORMAT,
  type NetworkDescriptor,
  type UnsignedNetworkDescriptor,
  signNetworkDescriptor,
  verifyNetworkDescriptor,
} from "./descriptor.ts";
import { MobileIdError } from "./errors.ts";

const root = Wallet.createRandom();
const other = Wallet.createRandom();

const unsigned: UnsignedNetworkDescriptor = {
  format: DESCRIPTOR_FORMAT,
  name: "test",
  chainId: 31337,
  rpcUrl: "http://127.0.0.1:8545",
  root: { did: `did:ethr:0x7a69:${root.address.toLowerCase()}`, address: root.address },
  contracts: {
    didRegistry: { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", deployBlock: 1, codeHash: `0x${"11".repeat(32)}` },
    accreditationRegistry: { address: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", deployBlock: 2, codeHash: `0x${"22".repeat(32)}` },
    statusRegistry: { address: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", deployBlock: 3, codeHash: `0x${"33".repeat(32)}` },
    relyingPartyRegistry: { address: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9", deployBlock: 4, codeHash: `0x${"44".repeat(32)}` },
  },
  issuedAt: 1_767_225_600,
};

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof MobileIdError ? e.code : `non-mobile-id error: ${String(e)}`;
  }
  return undefined;
}

describe("network descriptor", () => {
  it("verifies a descriptor signed by the trusted root key", async () => {
    const signed = await signNetworkDescriptor({ descriptor: unsigned, signer: root });
    const roundTripped: unknown = JSON.parse(JSON.stringify(signed));
    expect(verifyNetworkDescriptor({ descriptor: roundTripped, trustedRootKeys: [root.address] })).toEqual(signed);
  });

  it("refuses a descriptor signed by a key it does not trust", async () => {
    const signed = await signNetworkDescriptor({ descriptor: unsigned, signer: other });
    expect(codeOf(() => verifyNetworkDescriptor({ descriptor: signed, trustedRootKeys: [root.address] }))).toBe(
      "DESCRIPTOR_UNTRUSTED_SIGNER",
    );
  });

  it.each<[string, (d: NetworkDescriptor) => unknown]>([
    ["a contract address", (d) => ({ ...d, contracts: { ...d.contracts, statusRegistry: { ...d.contracts.statusRegistry, address: other.address } } })],
    ["the chain id", (d) => ({ ...d, chainId: 1 })],
    ["the rpc url", (d) => ({ ...d, rpcUrl: "http://evil.example" })],
    ["the root DID", (d) => ({ ...d, root: { ...d.root, did: "did:ethr:0x7a69:0x0000000000000000000000000000000000000001" } })],
    ["a deploy block", (d) => ({ ...d, contracts: { ...d.contracts, didRegistry: { ...d.contracts.didRegistry, deployBlock: 9 } } })],
    ["the issue time", (d) => ({ ...d, issuedAt: d.issuedAt + 1 })],
  ])("refuses a descriptor whose %s was changed after signing", async (_what, tamper) => {
    const signed = await signNetworkDescriptor({ descriptor: unsigned, signer: root });
    const code = codeOf(() => verifyNetworkDescriptor({ descriptor: tamper(signed), trustedRootKeys: [root.address] }));
    // Either the recovered signer differs from the claimed one, or (chain id) the domain differs: never a pass.
    expect(["DESCRIPTOR_SIGNATURE_INVALID", "DESCRIPTOR_UNTRUSTED_SIGNER"]).toContain(code);
  });

  it("refuses a descriptor whose claimed signer was swapped for the trusted key", async () => {
    const signed = await signNetworkDescriptor({ descriptor: unsigned, signer: other });
    const forged = { ...signed, proof: { ...signed.proof, signer: root.address } };
    expect(codeOf(() => verifyNetworkDescriptor({ descriptor: forged, trustedRootKeys: [root.address] }))).toBe(
      "DESCRIPTOR_SIGNATURE_INVALID",
    );
  });

  it.each<[string, (d: NetworkDescriptor) => unknown]>([
    ["an unknown field", (d) => ({ ...d, extra: 1 })],
    ["a missing proof", ({ proof: _p, ...d }) => d],
    ["a wrong format", (d) => ({ ...d, format: "mobile-id/network-descriptor@2" })],
    ["a string chain id", (d) => ({ ...d, chainId: "31337" })],
    ["a short signature", (d) => ({ ...d, proof: { ...d.proof, signatureValue: "0x1234" } })],
    ["a non-object", () => "descriptor"],
    ["null", () => null],
  ])("refuses a malformed descriptor: %s", async (_what, mangle) => {
    const signed = await signNetworkDescriptor({ descriptor: unsigned, signer: root });
    expect(codeOf(() => verifyNetworkDescriptor({ descriptor: mangle(signed), trustedRootKeys: [root.address] }))).toBe(
      "DESCRIPTOR_INVALID",
    );
  });

  it("refuses to verify without a trusted root key", async () => {
    const signed = await signNetworkDescriptor({ descriptor: unsigned, signer: root });
    expect(codeOf(() => verifyNetworkDescriptor({ descriptor: signed, trustedRootKeys: [] }))).toBe("INVALID_ARGUMENT");
  });
});
