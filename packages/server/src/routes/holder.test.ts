import { describe, expect, it } from "vitest";

describe("party route input", () => {
  it("answers an address with a wrong mixed-case checksum with 400 INVALID_ADDRESS, not 500", async () => {
    const { default: Fastify } = await import("fastify");
    const { installErrorHandling } = await import("../errors.ts");
    const { registerHolderRoutes } = await import("./holder.ts");
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    // The address is refused before any ledger read: the ledger and contracts are never touched.
    registerHolderRoutes(app, { chainId: 31337, ledger: {} as never, contracts: {} as never });
    // 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc with its last letter's case flipped.
    const r = await app.inject({ method: "GET", url: "/parties/0x9965507D1a55bcC2695C58ba16FB37d819B0A4dC" });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe("INVALID_ADDRESS");
    await app.close();
  });

  it("lists the party's ERC-1056 public-key attributes with its keys, so the wallet accepts the keys the verifier accepts", async () => {
    const { default: Fastify } = await import("fastify");
    const { installErrorHandling } = await import("../errors.ts");
    const { registerHolderRoutes } = await import("./holder.ts");
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    const owner = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
    const attribute = { name: "did/pub/Secp256k1/veriKey/hex", value: `0x02${"11".repeat(32)}`, validTo: 1_900_000_000n, counter: 1 };
    const ledger = {
      freshness: () => ({ head: { blockNumber: 7, timestamp: 1_800_000_000 } }),
      identity: () => ({ owner, deactivated: false, delegates: [], attributes: [attribute], changes: 1 }),
      standingAt: () => ({ status: 0 }),
    };
    const contracts = { accreditationRegistry: { getFunction: () => async () => ({ role: 2n, name: "종로구청", registeredAt: 1n }) } };
    registerHolderRoutes(app, { chainId: 31337, ledger: ledger as never, contracts: contracts as never });
    const r = await app.inject({ method: "GET", url: `/parties/${owner}` });
    expect(r.statusCode).toBe(200);
    expect(r.json().keys).toEqual({ owner, deactivated: false, delegates: [], attributes: [{ name: attribute.name, value: attribute.value, validTo: "1900000000" }] });
    await app.close();
  });
});
