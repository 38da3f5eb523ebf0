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
});
