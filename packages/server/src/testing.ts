/**
 * Test and benchmark support (entry `@mobile-id/server/testing`): a whole network on this machine — an anvil
 * ledger node, the contracts deployed and the development roster bootstrapped, the services on a free port —
 * and helpers that act as agencies and holders over HTTP. Not part of the production API.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ES256KSigner } from "did-jwt";
import { createVerifiablePresentationJwt } from "did-jwt-vc";
import { type HDNodeWallet, JsonRpcProvider, SigningKey, Wallet, getBytes } from "ethers";
import { type DevRoster, type LedgerNode, bootstrapNetwork, bootstrapRelyingParties, deployNetwork, devRoster, startLedgerNode } from "@mobile-id/chain";
import { type NetworkDescriptor, toPublicKeyEthrDid } from "@mobile-id/core";
import { type RunningServices, type StartServicesParameters, startServices } from "./startServices.ts";

export interface TestServices {
  readonly url: string;
  readonly descriptor: NetworkDescriptor;
  readonly roster: DevRoster;
  readonly apiKeys: Readonly<Record<string, string>>;
  readonly node: LedgerNode;
  readonly services: RunningServices;
  close(): Promise<void>;
}

/**
 * Extra service options for a test. Load tests and benchmarks create hundreds of requests from one address, so
 * the per-IP creation cap defaults to a million a minute here (tests of the cap set their own).
 */
export type TestServicesParameters = { readonly dataDir?: string } & Pick<
  StartServicesParameters,
  "httpLimits" | "createRateLimit" | "outcomeTtlSeconds" | "maxFailedAnswers" | "maxStalenessSeconds" | "replicaFile"
>;

export async function startTestServices(params: TestServicesParameters = {}): Promise<TestServices> {
  const dataDir = params.dataDir ?? mkdtempSync(join(tmpdir(), "mid-services-"));
  const node = await startLedgerNode({ dataDir: join(dataDir, "ledger") });
  const provider = new JsonRpcProvider(node.url, undefined, { batchMaxCount: 1, cacheTimeout: -1 });
  try {
    const roster = devRoster(provider);
    const { descriptor } = await deployNetwork({ deployer: roster.root, rootName: roster.rootName, networkName: "test", rpcUrl: node.url });
    await bootstrapNetwork({ descriptor, root: roster.root, accreditors: roster.accreditors, issuers: roster.issuers });
    // The services' verifier is a registered relying party (issue 11), as `pnpm start` bootstraps it.
    await bootstrapRelyingParties({ descriptor, accreditors: roster.accreditors, relyingParties: roster.relyingParties });
    const services = await startServices({
      descriptor,
      rpcUrl: node.url,
      dataDir,
      port: 0,
      logger: false,
      createRateLimit: params.createRateLimit ?? { max: 1_000_000, windowMs: 60_000 },
      ...(params.httpLimits === undefined ? {} : { httpLimits: params.httpLimits }),
      ...(params.outcomeTtlSeconds === undefined ? {} : { outcomeTtlSeconds: params.outcomeTtlSeconds }),
      ...(params.maxFailedAnswers === undefined ? {} : { maxFailedAnswers: params.maxFailedAnswers }),
      ...(params.maxStalenessSeconds === undefined ? {} : { maxStalenessSeconds: params.maxStalenessSeconds }),
      ...(params.replicaFile === undefined ? {} : { replicaFile: params.replicaFile }),
      agencies: roster.issuers.map((i) => ({ slug: i.slug, name: i.name, signer: i.signer as HDNodeWallet })),
      ...(roster.relyingParties[0] === undefined ? {} : { relyingParty: { signer: roster.relyingParties[0].signer as HDNodeWallet } }),
    });
    return {
      url: services.url,
      descriptor,
      roster,
      apiKeys: services.newApiKeys,
      node,
      services,
      close: async () => {
        await services.close();
        provider.destroy();
        await node.stop();
      },
    };
  } catch (e) {
    provider.destroy();
    await node.stop();
    throw e;
  }
}

export interface TestHolder {
  readonly privateKey: string;
  readonly did: string;
  /** The student ID issued to this holder (VC JWT). */
  readonly credential: string;
}

/** Runs `tasks` with at most `limit` in flight. */
export async function inParallel<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return out;
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** `count` fresh holders, each with a student ID issued by the university through the issuer API. */
export async function issueStudentIds(services: TestServices, count: number, concurrency = 16): Promise<TestHolder[]> {
  const apiKey = services.apiKeys["snu"];
  if (apiKey === undefined) throw new Error("no API key for snu");
  return inParallel(count, concurrency, async (i) => {
    const wallet = Wallet.createRandom();
    const did = toPublicKeyEthrDid(services.descriptor.chainId, wallet.signingKey.publicKey);
    const r = await postJson(
      `${services.url}/issuers/snu/credentials`,
      {
        type: "StudentIDCredential",
        holder: did,
        claims: { familyName: "김", givenName: `학생${i}`, studentNumber: `2026-${String(i).padStart(5, "0")}`, institution: "서울대학교", enrollmentStatus: "enrolled" },
      },
      { authorization: `Bearer ${apiKey}` },
    );
    if (r.status !== 201) throw new Error(`issue failed: ${r.status} ${JSON.stringify(r.body)}`);
    return { privateKey: wallet.privateKey, did, credential: (r.body as { jwt: string }).jwt };
  });
}

export interface OpenRequest {
  readonly id: string;
  readonly request: { readonly challenge: string; readonly domain: string; readonly credentialTypes: readonly string[]; readonly expiresAt: number };
  readonly responseUri: string;
  /** Lets the counter read the outcome (`Authorization: Bearer …` on the request URI). */
  readonly counterToken: string;
}

/** A presentation request from the verifier API. */
export async function createRequest(url: string, ttlSeconds = 600): Promise<OpenRequest> {
  const r = await postJson(`${url}/verifier/requests`, { credentialTypes: ["StudentIDCredential"], ttlSeconds });
  if (r.status !== 201) throw new Error(`request failed: ${r.status}`);
  return r.body as OpenRequest;
}

/** The holder's self-signed VP for a request, as the wallet writes it (aud = domain, nonce = challenge). */
export async function presentationFor(holder: TestHolder, request: OpenRequest["request"]): Promise<string> {
  const signer = ES256KSigner(getBytes(new SigningKey(holder.privateKey).privateKey));
  const now = Math.floor(Date.now() / 1000);
  return createVerifiablePresentationJwt(
    {
      vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], verifiableCredential: [holder.credential] },
      aud: request.domain,
      nonce: request.challenge,
      nbf: now,
      exp: now + 300,
    },
    { did: holder.did, signer, alg: "ES256K" },
  );
}

export { SECRET_CLAIMS, stubVerifier } from "./testing/stubVerifier.ts";
export {
  type CreatedOpenid4vpRequest,
  STUDENT_STATUS_QUERY,
  createOpenid4vpRequest,
  pollOpenid4vpResult,
  postOpenid4vpResponse,
} from "./testing/openid4vp.ts";
