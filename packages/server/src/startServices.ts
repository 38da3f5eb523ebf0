import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { JsonRpcProvider, type Signer } from "ethers";
import { type AuditLedger, openLedger } from "@mobile-id/auditor";
import { LedgerMirror } from "@mobile-id/chain";
import { type NetworkDescriptor, toEthrDid } from "@mobile-id/core";
import { type Issuer, createIssuer, createJwtSigner } from "@mobile-id/issuer";
import { createSqliteNonceStore, createVerifier, openNonceDatabase } from "@mobile-id/verifier";
import { type ApiKeyRecord, generateApiKey, hashApiKey } from "./auth.ts";
import { createServer } from "./createServer.ts";
import type { IssuerTenant } from "./routes/issuer.ts";
import { openDatabase } from "./stores/database.ts";
import { createRequestStore } from "./stores/requestStore.ts";

/** An agency this service issues for, with its keys (owner key: lists and operators; also signs JWTs). */
export interface AgencyConfig {
  readonly slug: string;
  readonly name: string;
  readonly signer: Signer & { readonly privateKey: string };
}

export interface StartServicesParameters {
  readonly descriptor: NetworkDescriptor;
  readonly rpcUrl: string;
  /** Durable state: issuance databases, consumed challenges, requests, API key hashes. */
  readonly dataDir: string;
  readonly agencies: readonly AgencyConfig[];
  readonly host?: string;
  /** 0 picks a free port. Default 8080. */
  readonly port?: number;
  /** The verifier's domain (audience of its requests). Default `verifier.mobile-id.local`. */
  readonly verifierDomain?: string;
  readonly logger?: boolean | { readonly level: string };
}

export interface RunningServices {
  readonly app: FastifyInstance;
  readonly url: string;
  /** Plain API keys generated on this start (first start only); afterwards only their hashes exist. */
  readonly newApiKeys: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** Loads the agencies' API key hashes, generating keys for agencies that have none (returned once, in plain). */
function loadApiKeys(dir: string, slugs: readonly string[]): { records: ApiKeyRecord[]; created: Record<string, string> } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "api-key-hashes.json");
  const hashes = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, string>) : {};
  const created: Record<string, string> = {};
  for (const slug of slugs) {
    if (hashes[slug] === undefined) {
      const key = generateApiKey();
      created[slug] = key;
      hashes[slug] = hashApiKey(key);
    }
  }
  if (Object.keys(created).length > 0) {
    writeFileSync(`${path}.tmp`, `${JSON.stringify(hashes, null, 2)}\n`, { mode: 0o600 });
    // Atomic replace; the plain keys go to a separate file readable by the operator only (development aid).
    writeFileSync(path, readFileSync(`${path}.tmp`));
    chmodSync(path, 0o600);
    const secretsPath = join(dir, "agency-api-keys.json");
    const secrets = existsSync(secretsPath) ? (JSON.parse(readFileSync(secretsPath, "utf8")) as Record<string, string>) : {};
    writeFileSync(secretsPath, `${JSON.stringify({ ...secrets, ...created }, null, 2)}\n`, { mode: 0o600 });
  }
  return { records: Object.entries(hashes).map(([tenant, keyHash]) => ({ tenant, keyHash })), created };
}

/**
 * Starts the issuer, verifier and auditor services against a ledger: a ledger mirror for the verifier (caught
 * up before the first request is served), one issuer per agency (each reconciles its journal of ledger writes
 * on open, so nothing acknowledged before a crash is lost), and the HTTP server.
 */
export async function startServices(params: StartServicesParameters): Promise<RunningServices> {
  const { descriptor, dataDir } = params;
  const provider = new JsonRpcProvider(params.rpcUrl, descriptor.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  const mirror = new LedgerMirror({ rpc: provider, descriptor, pollIntervalMs: 500 });
  const issuers: Issuer[] = [];
  let auditLedger: AuditLedger | undefined;
  try {
    await mirror.start();
    const verifierDb = openDatabase(join(dataDir, "verifier", "verifier.sqlite"));
    const verifier = createVerifier({
      descriptor,
      ledger: mirror,
      nonceStore: createSqliteNonceStore(openNonceDatabase(join(dataDir, "verifier", "nonces.sqlite"))),
    });
    const tenants: IssuerTenant[] = [];
    for (const agency of params.agencies) {
      const identity = await agency.signer.getAddress();
      mkdirSync(join(dataDir, "issuer"), { recursive: true });
      const issuer = await createIssuer({
        descriptor,
        provider,
        issuer: toEthrDid(descriptor.chainId, identity),
        jwtSigner: createJwtSigner(agency.signer.privateKey),
        owner: agency.signer,
        operator: agency.signer,
        databasePath: join(dataDir, "issuer", `${agency.slug}.sqlite`),
      });
      issuers.push(issuer);
      // Lists are created with the owner key, ahead of issuance, so that issuing never waits for the ledger.
      await issuer.ensureStatusLists();
      tenants.push({ id: agency.slug, name: agency.name, issuer });
    }
    const { records, created } = loadApiKeys(join(dataDir, "services"), params.agencies.map((a) => a.slug));
    auditLedger = await openLedger({ descriptor, provider });
    const host = params.host ?? "127.0.0.1";
    const port = params.port ?? 8080;
    // The public base URL is known only after listen (port 0); routes read it lazily through this holder.
    const base = { url: `http://${host}:${port}` };
    const app = await createServer({
      descriptor,
      ledgerStatus: () => {
        const s = mirror.status();
        return { ok: s.state === "ready", ...s };
      },
      issuers: { tenants, keys: records },
      verifier: {
        verifier,
        requests: createRequestStore(verifierDb),
        get publicBaseUrl() {
          return base.url;
        },
        domain: params.verifierDomain ?? "verifier.mobile-id.local",
      },
      auditor: auditLedger,
      ...(params.logger === undefined ? {} : { logger: params.logger }),
    });
    await app.listen({ host, port });
    const address = app.server.address();
    if (address !== null && typeof address === "object") base.url = `http://${host}:${address.port}`;
    const ledgerToClose = auditLedger;
    return {
      app,
      url: base.url,
      newApiKeys: created,
      close: async () => {
        await app.close();
        for (const issuer of issuers) await issuer.close();
        await ledgerToClose.close();
        await mirror.stop();
        verifierDb.close();
        provider.destroy();
      },
    };
  } catch (e) {
    for (const issuer of issuers) await issuer.close().catch(() => undefined);
    await Promise.resolve(auditLedger?.close()).catch(() => undefined);
    await Promise.resolve(mirror.stop()).catch(() => undefined);
    provider.destroy();
    throw e;
  }
}
