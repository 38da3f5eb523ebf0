import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_TYPES, credentialTypeId, registeredSchemaHash } from "@mobile-id/core";
import { Role, bootstrapNetwork } from "./bootstrapNetwork.ts";
import { connectContracts } from "./contracts.ts";
import { type TestNetwork, startTestNetwork } from "./testing.ts";

describe("bootstrapNetwork (in-process chain)", () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await startTestNetwork();
  });
  afterAll(() => net.chain.close());

  it("registers the four authorities, the four types and a sample issuer per type, each in force", async () => {
    const registry = connectContracts({ descriptor: net.descriptor, runner: net.chain.provider }).accreditationRegistry;
    for (const acc of Object.values(net.roster.accreditors)) {
      expect(Number((await registry.getFunction("party")(await acc.signer.getAddress())).role)).toBe(Role.Accreditor);
    }
    for (const type of CREDENTIAL_TYPES) {
      const onChain = await registry.getFunction("credentialType")(credentialTypeId(type.name, type.version));
      expect(onChain.name).toBe(type.name);
      expect(onChain.schemaHash).toBe(registeredSchemaHash(type));
      expect(onChain.schemaUri).toBe(type.schemaUri);
    }
    const now = (await net.chain.provider.getBlock("latest"))!.timestamp;
    for (const issuer of net.roster.issuers) {
      const address = await issuer.signer.getAddress();
      expect(Number((await registry.getFunction("party")(address)).role)).toBe(Role.Issuer);
      for (const name of issuer.credentialTypes) {
        const type = CREDENTIAL_TYPES.find((t) => t.name === name)!;
        const standing = await registry.getFunction("standingAt")(address, credentialTypeId(type.name, type.version), now);
        expect(standing.inForce).toBe(true);
      }
    }
  });

  it("is idempotent: a second run changes nothing and sends no transaction", async () => {
    const before = await net.chain.provider.getBlockNumber();
    const steps: [string, boolean][] = [];
    const { changed } = await bootstrapNetwork({
      descriptor: net.descriptor,
      root: net.roster.root,
      accreditors: net.roster.accreditors,
      issuers: net.roster.issuers,
      onStep: (s, c) => steps.push([s, c]),
    });
    expect(changed).toEqual([]);
    expect(steps.length).toBeGreaterThanOrEqual(20);
    expect(steps.every(([, c]) => !c)).toBe(true);
    expect(await net.chain.provider.getBlockNumber()).toBe(before);
  });
});
