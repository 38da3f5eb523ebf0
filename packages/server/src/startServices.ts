import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import type { FastifyInstance } from "fastify";
import { JsonRpcProvider, type Signer } from "ethers";
import { type AuditLedger, openLedger } from "@mobile-id/auditor";
import { LedgerMirror, connectContracts, createFetchLedgerRpc } from "@mobile-id/chain";
import { type NetworkDescriptor, isMobileIdError, toEthrDid } from "@mobile-id/core";
import { type Issuer, IssuerErrorCode, createIssuer, createJwtSigner } from "@mobile-id/issuer";
import { createSqliteNonceStore, createVerifier, openNonceDatabase } from "@mobile-id/verifier";
import { type ApiKeyRecord, generateApiKey, hashApiKey } from "./auth.ts";
import { createServer } from "./createServer.ts";
import type { IssuerTenant } from "./routes/issuer.ts";
import { createOfferStore } from "./routes/offerStore.ts";
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
  /** The built web app to serve under `/app/` (e.g. `packages/web/dist`); no pages when absent. */
  readonly webRoot?: string;
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
    // The plain keys go to a separate file readable by the operator only (development aid), and first: a crash
    // between the two writes then leaves a key without its hash (made anew next start), never a hash whose key
    // is lost. Each file is replaced atomically (write, then rename): a torn one would stop every later start.
    const secretsPath = join(dir, "agency-api-keys.json");
    const secrets = existsSync(secretsPath) ? (JSON.parse(readFileSync(secretsPath, "utf8")) as Record<string, string>) : {};
    writeFileSync(`${secretsPath}.tmp`, `${JSON.stringify({ ...secrets, ...created }, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${secretsPath}.tmp`, secretsPath);
    writeFileSync(`${path}.tmp`, `${JSON.stringify(hashes, null, 2)}\n`, { mode: 0o600 });
    chmodSync(`${path}.tmp`, 0o600);
    renameSync(`${path}.tmp`, path);
  }
  return { records: Object.entries(hashes).map(([tenant, keyHash]) => ({ tenant, keyHash })), created };
}

/**
 * Starts the issuer, verifier and auditor services against a ledger: a ledger mirror for the verifier, one
 * issuer per agency (each reconciles its journal of ledger writes on open, writing again what the ledger node
 * lost, so nothing acknowledged before a crash is lost), the mirror caught up after that, and the HTTP server.
 */
export async function startServices(params: StartServicesParameters): Promise<RunningServices> {
  const { descriptor, dataDir } = params;
  const provider = new JsonRpcProvider(params.rpcUrl, descriptor.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  // The mirror catches up with eth_getLogs over the whole ledger: tens of MB per answer on a large one, which
  // ethers' transport reads in quadratic time; fetch reads it in linear time.
  const mirror = new LedgerMirror({ rpc: createFetchLedgerRpc({ url: params.rpcUrl }), descriptor, pollIntervalMs: 500 });
  const issuers: Issuer[] = [];
  const openedDbs: DatabaseSync[] = [];
  let auditLedger: AuditLedger | undefined;
  try {
    await mirror.start();
    const verifierDb = openDatabase(join(dataDir, "verifier", "verifier.sqlite"));
    const verifier = createVerifier({
      descriptor,
      ledger: mirror,
      nonceStore: createSqliteNonceStore(openNonceDatabase(join(dataDir, "verifier", "nonces.sqlite"))),
    });
    const opened = new Map<string, Issuer>();
    mkdirSync(join(dataDir, "issuer"), { recursive: true });
    // Opening an issuer reconciles it with the ledger: writes the ledger node lost (acknowledged, then gone
    // from a node killed between two state dumps) are written again before anything is served. A lost status
    // list comes back only under its own id, and the contract hands ids out in order: an issuer whose lost
    // list has a higher id than another agency's lost list refuses to open (STATUS_LIST_LOST, reason `gap`)
    // until that one is back. So open in rounds while a round makes progress.
    let waiting = [...params.agencies];
    while (waiting.length > 0) {
      const retry: AgencyConfig[] = [];
      let gap: unknown;
      for (const agency of waiting) {
        const identity = await agency.signer.getAddress();
        let issuer: Issuer;
        try {
          issuer = await createIssuer({
            descriptor,
            provider,
            issuer: toEthrDid(descriptor.chainId, identity),
            jwtSigner: createJwtSigner(agency.signer.privateKey),
            owner: agency.signer,
            operator: agency.signer,
            databasePath: join(dataDir, "issuer", `${agency.slug}.sqlite`),
          });
        } catch (e) {
          if (!(isMobileIdError(e, IssuerErrorCode.STATUS_LIST_LOST) && e.details["reason"] === "gap")) throw e;
          retry.push(agency);
          gap = e;
          continue;
        }
        issuers.push(issuer);
        // Lists are created with the owner key, ahead of issuance, so that issuing never waits for the ledger.
        await issuer.ensureStatusLists();
        opened.set(agency.slug, issuer);
      }
      if (retry.length === waiting.length) throw gap;
      waiting = retry;
    }
    const tenants: IssuerTenant[] = params.agencies.map((a) => ({ id: a.slug, name: a.name, issuer: opened.get(a.slug) as Issuer }));
    // The mirror caught up before the issuers wrote lost revocations again: catch up once more, so that the
    // verifier's first answer already sees them.
    await mirror.sync();
    const { records, created } = loadApiKeys(join(dataDir, "services"), params.agencies.map((a) => a.slug));
    auditLedger = await openLedger({ descriptor, provider });
    const host = params.host ?? "127.0.0.1";
    const port = params.port ?? 8080;
    // The public base URL is known only after listen (port 0); routes read it lazily through this holder.
    const base = { url: `http://${host}:${port}` };
    const offersDb = openDatabase(join(dataDir, "services", "offers.sqlite"));
    openedDbs.push(offersDb);
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
      offers: {
        tenants,
        keys: records,
        offers: createOfferStore(offersDb),
        get publicBaseUrl() {
          return base.url;
        },
      },
      holder: { chainId: descriptor.chainId, ledger: mirror, contracts: connectContracts({ descriptor, runner: provider }) },
      ...(params.webRoot === undefined ? {} : { web: { root: params.webRoot } }),
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
        for (const db of openedDbs) db.close();
        provider.destroy();
      },
    };
  } catch (e) {
    for (const issuer of issuers) await issuer.close().catch(() => undefined);
    for (const db of openedDbs) db.close();
    await Promise.resolve(auditLedger?.close()).catch(() => undefined);
    await Promise.resolve(mirror.stop()).catch(() => undefined);
    provider.destroy();
    throw e;
  }
}
