import Fastify from "fastify";
import { makeError } from "ethers";
import { describe, expect, it } from "vitest";
import { installErrorHandling } from "./errors.ts";

/** Routes that call the ledger node directly (party names, status words) and find it down. */
describe("error handling: a ledger node that does not answer is 503 LEDGER_UNAVAILABLE, not 500", () => {
  const answer = async (thrown: unknown) => {
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    app.get("/x", async () => {
      throw thrown;
    });
    const r = await app.inject({ method: "GET", url: "/x" });
    await app.close();
    return { status: r.statusCode, code: (r.json() as { error: { code: string } }).error.code };
  };

  it("maps a refused connection (Node's socket error, as ethers passes it through)", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8545"), { code: "ECONNREFUSED", syscall: "connect" });
    expect(await answer(refused)).toStrictEqual({ status: 503, code: "LEDGER_UNAVAILABLE" });
    expect(await answer(new TypeError("fetch failed", { cause: refused }))).toStrictEqual({ status: 503, code: "LEDGER_UNAVAILABLE" });
  });

  it("maps ethers' timeout, server and undecodable-reply errors", async () => {
    for (const code of ["TIMEOUT", "SERVER_ERROR", "BAD_DATA", "NETWORK_ERROR"] as const) {
      expect(await answer(makeError("x", code))).toStrictEqual({ status: 503, code: "LEDGER_UNAVAILABLE" });
    }
  });

  it("leaves other faults a 500 INTERNAL", async () => {
    expect(await answer(new Error("bug"))).toStrictEqual({ status: 500, code: "INTERNAL" });
    expect(await answer(makeError("reverted", "CALL_EXCEPTION"))).toStrictEqual({ status: 500, code: "INTERNAL" });
  });
});
