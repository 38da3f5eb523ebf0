import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonRpcResponseError, createFetchLedgerRpc } from "./createFetchLedgerRpc.ts";

describe("createFetchLedgerRpc", () => {
  // A node answering eth_getLogs with a large body (here 24 MB), and errors.
  const big = Array.from({ length: 400 }, (_, i) => ({ logIndex: `0x${i.toString(16)}`, data: `0x${"ab".repeat(30_000)}` }));
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      res.setHeader("content-type", "application/json");
      if (method === "eth_getLogs") return void res.end(JSON.stringify({ jsonrpc: "2.0", id, result: big }));
      if (method === "eth_call") return void res.end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: 3, message: "execution reverted", data: "0x1234" } }));
      res.statusCode = 502;
      res.end("bad gateway");
    });
  });
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("returns the result, whole, of a large answer", async () => {
    const result = (await createFetchLedgerRpc({ url }).send("eth_getLogs", [{}])) as typeof big;
    expect(result).toHaveLength(400);
    expect(result[399]).toEqual(big[399]);
  });

  it("throws the node's JSON-RPC error with its code and data, and HTTP failures", async () => {
    const rpc = createFetchLedgerRpc({ url });
    const error = await rpc.send("eth_call", []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonRpcResponseError);
    expect([(error as JsonRpcResponseError).code, (error as JsonRpcResponseError).data]).toEqual([3, "0x1234"]);
    await expect(rpc.send("eth_chainId", [])).rejects.toThrow(/HTTP 502/);
  });
});
