/**
 * OpenID4VCI and OpenID4VP at the command line (issue 11), each `mid` invocation a separate process, on a real ledger
 * node bootstrapped with the development roster: `mid wallet receive` takes SD-JWT VC copies from an issuer made with
 * the library's issuer side (HTTP on loopback, the resident-ID issuer's key); a verifier made with the library's
 * verifier side (`Openid4vpVerifier`, HTTP on loopback) signs its requests as the development counter (a registered
 * relying party). `mid wallet answer --yes` shares exactly the asked claim, `--decline` tells the verifier
 * `access_denied`, a request from an unregistered key is refused with nothing sent, and `mid wallet history` lists,
 * exports and deletes what happened.
 */
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { type Server, createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HDNodeWallet, Mnemonic, Wallet as EthersWallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setGlobalConfig } from "@openid4vc/oauth2";
import { DEV_MNEMONIC, type LedgerNode, startLedgerNode } from "@mobile-id/chain";
import { toEthrDid } from "@mobile-id/core";
import { libraryIssuer } from "../support/libraryOpenid4vciIssuer.ts";
import { libraryVerifier } from "../support/libraryOpenid4vpVerifier.ts";
import { type RunResult, runNode } from "../support/run.ts";

const ROOT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const dev = (i: number) => HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${i}`);
const JONGNO = dev(8);
const COUNTER = dev(9);
const GIVEN_NAME_QUERY = {
  credentials: [{ id: "resident", format: "dc+sd-jwt", meta: { vct_values: ["urn:mobile-id:vct:ResidentIDCredential:1"] }, claims: [{ path: ["givenName"] }] }],
};

describe("OpenID4VP with `mid wallet answer` and `mid wallet history`", () => {
  const dir = mkdtempSync(join(tmpdir(), "mid-oid4vp-cli-"));
  const dataDir = join(dir, "data");
  const env = { MID_WALLET_PASSPHRASE: "한강 correct horse battery", MID_KEY: "", MID_TRUST_ROOT: ROOT };
  let node: LedgerNode;
  let server: Server;
  let origin: string;
  const handlers: ((req: Request) => Promise<Response>)[] = [];
  let issuerHandler: ((req: Request) => Promise<Response>) | undefined;
  let issuer: ReturnType<typeof libraryIssuer>;

  const mid = (...args: string[]): Promise<RunResult> => runNode("packages/cli/bin/mid.js", ["--data-dir", dataDir, ...args], env);
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  };

  beforeAll(async () => {
    setGlobalConfig({ allowInsecureUrls: true });
    node = await startLedgerNode({ dataDir: join(dir, "ledger") });
    ok(await runNode("scripts/deploy.ts", ["--rpc", node.url, "--out", join(dataDir, "network.json"), "--bootstrap"]));
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const request = new Request(`${origin}${req.url}`, {
          method: req.method ?? "GET",
          headers: req.headers as Record<string, string>,
          ...(req.method === "POST" ? { body: Buffer.concat(chunks) } : {}),
        });
        const path = new URL(request.url).pathname;
        const handler = path.startsWith("/issuers/") || path.startsWith("/.well-known/") ? issuerHandler : handlers.at(-1);
        void (handler === undefined ? Promise.resolve(new Response("", { status: 404 })) : handler(request)).then(async (response) => {
          const headers: Record<string, string> = {};
          response.headers.forEach((value, key) => (headers[key] = value));
          res.writeHead(response.status, headers);
          res.end(Buffer.from(await response.arrayBuffer()));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    // The resident-ID issuer (dev account 8, accredited by the bootstrap) behind an OpenID4VCI issuer made with the library.
    const lists = JSON.parse(ok(await mid("--json", "issuer", "lists", "--issuer", JONGNO.address, "--dev-account", "8")).stdout) as {
      pairs: { revocationListId: string; suspensionListId: string }[];
    };
    const pair = lists.pairs[0] as { revocationListId: string; suspensionListId: string };
    issuer = libraryIssuer(
      { now: () => Math.floor(Date.now() / 1000) },
      { did: toEthrDid(31337, JONGNO.address), typeName: "ResidentIDCredential", wallet: JONGNO, revocationListId: BigInt(pair.revocationListId), suspensionListId: BigInt(pair.suspensionListId) },
      origin,
    );
    issuerHandler = issuer.handle;
    ok(await mid("wallet", "create"));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await node?.stop();
  });

  it("receives SD-JWT VC copies with `mid wallet receive --tx-code`; a wrong code gets the issuer's invalid_grant", async () => {
    const wrongOffer = await issuer.createOffer();
    const wrong = await mid("--json", "wallet", "receive", wrongOffer.offerUri, "--tx-code", wrongOffer.txCode === "000000" ? "111111" : "000000");
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ error: { code: "ISSUANCE_FAILED", details: { error: "invalid_grant" } } });
    const { offerUri, txCode } = await issuer.createOffer();
    const received = JSON.parse(ok(await mid("--json", "wallet", "receive", offerUri, "--tx-code", txCode, "--copies", "3")).stdout) as {
      preview: { issuerName: string };
      received: { format: string; batch: { copies: number; remaining: number; type: string } }[];
    };
    expect(received.preview.issuerName).toBe("행정안전부 주민등록");
    expect(received.received).toMatchObject([{ format: "dc+sd-jwt", batch: { type: "ResidentIDCredential", copies: 3, remaining: 3 } }]);
  });

  it("shares the one asked claim with --yes, declines with --decline, refuses an unregistered party; history lists, exports, deletes", async () => {
    const counter = libraryVerifier(COUNTER, origin);
    handlers.push((r) => counter.handle(r));
    const shared = ok(await mid("--json", "wallet", "answer", (await counter.request(GIVEN_NAME_QUERY)).uri, "--yes"));
    const result = JSON.parse(shared.stdout) as { outcome: string; relyingParty: { name: string }; shared: { claims: string[] }[]; copiesLeft: { remaining: number }[] };
    expect(result).toMatchObject({ outcome: "shared", relyingParty: { name: expect.stringContaining("verifier counter") }, shared: [{ claims: ["givenName"] }], copiesLeft: [{ remaining: 2 }] });
    const token = JSON.parse(counter.received[0]?.["vp_token"] as string) as Record<string, string[]>;
    const disclosures = (token["resident"]?.[0] as string).split("~").slice(1, -1);
    expect(disclosures.map((d) => JSON.parse(Buffer.from(d, "base64url").toString())[1])).toEqual(["givenName"]);

    const declined = ok(await mid("--json", "wallet", "answer", (await counter.request(GIVEN_NAME_QUERY)).uri, "--decline"));
    expect(JSON.parse(declined.stdout)).toMatchObject({ outcome: "declined", delivered: true });
    expect(counter.received[1]).toMatchObject({ error: "access_denied" });

    const stranger = libraryVerifier(EthersWallet.createRandom(), origin);
    handlers.push((r) => stranger.handle(r));
    const refused = await mid("--json", "wallet", "answer", (await stranger.request(GIVEN_NAME_QUERY)).uri, "--yes");
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: "RELYING_PARTY_UNREGISTERED" } });
    expect(stranger.received).toEqual([]);

    const history = JSON.parse(ok(await mid("--json", "wallet", "history")).stdout) as { outcome: string; relyingParty: { did: string } }[];
    expect(history.map((r) => r.outcome)).toEqual(["refused", "declined", "shared"]);
    expect(ok(await mid("wallet", "history")).stdout).toContain("givenName");
    const exportFile = join(dir, "history.json");
    ok(await mid("wallet", "history", "--export", exportFile));
    expect(statSync(exportFile).mode & 0o777).toBe(0o600);
    expect((JSON.parse(readFileSync(exportFile, "utf8")) as { records: unknown[] }).records).toHaveLength(3);
    expect(readFileSync(exportFile, "utf8")).not.toContain("길동");
    expect(JSON.parse(ok(await mid("--json", "wallet", "history", "--delete-all")).stdout)).toEqual({ deleted: 3 });
    expect(JSON.parse(ok(await mid("--json", "wallet", "history")).stdout)).toEqual([]);
  });
});
