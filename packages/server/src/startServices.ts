import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import type { FastifyInstance } from "fastify";
import { JsonRpcProvider, type Signer } from "ethers";
import { type AuditLedger, openLedger } from "@mobile-id/auditor";
import { LedgerMirror, connectContracts } from "@mobile-id/chain";
import { type NetworkDescriptor, isMobileIdError, toEthrDid } from "@mobile-id/core";
import { type Issuer, IssuerErrorCode, createIssuer, createJwtSigner } from "@mobile-id/issuer";
import { createVerifier, openDurableNonceStore } from "@mobile-id/verifier";
import { createServer } from "./createServer.ts";
import type { IssuerTenant } from "./routes/issuer.ts";
import { createOfferStore } from "./routes/offerStore.ts";
import { loadApiKeys } from "./stores/apiKeyStore.ts";
import { openDatabase, openMarkedServiceDatabase } from "./stores/database.ts";
import { ensurePrivateDir, refuseMissing } from "./stores/dataDir.ts";
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
  /**
   * Data files whose loss the operator accepts explicitly (`pnpm start --accept-data-loss FILE`): a damaged
   * WAL's lost commits, a missing database that other state says must exist. Everything else is refused.
   */
  readonly acceptDataLoss?: readonly string[];
  /**
   * Called with the plain API keys made on this start (agencies new to this data directory), right after their
   * hashes are stored and before anything else can fail: show them to the operator then, as they are stored
   * nowhere. Not called when no key was made.
   */
  readonly onNewApiKeys?: (keys: Readonly<Record<string, string>>) => void;
}

export interface RunningServices {
  readonly app: FastifyInstance;
  readonly url: string;
  /** Plain API keys generated on this start (first start only); afterwards only their hashes exist. */
  readonly newApiKeys: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Starts the issuer, verifier and auditor services against a ledger: a ledger mirror for the verifier, one
 * issuer per agency (each reconciles its journal of ledger writes on open, writing again what the ledger node
 * lost, so nothing acknowledged before a crash is lost), the mirror caught up after that, and the HTTP server.
 */
export async function startServices(params: StartServicesParameters): Promise<RunningServices> {
  const { descriptor, dataDir } = params;
  const accepted = new Set((params.acceptDataLoss ?? []).map((p) => resolve(p)));
  const issuerDbPath = (slug: string) => join(dataDir, "issuer", `${slug}.sqlite`);
  // State exists once any agency's issuance database does (they are created after every other store): from
  // then on, a missing store is a lost one, not a first start.
  const established = params.agencies.some((a) => existsSync(issuerDbPath(a.slug)));
  ensurePrivateDir(dataDir);
  const verifierDbPath = join(dataDir, "verifier", "verifier.sqlite");
  const noncesPath = join(dataDir, "verifier", "nonces.sqlite");
  const offersPath = join(dataDir, "services", "offers.sqlite");
  if (established) refuseMissing([verifierDbPath, noncesPath, offersPath], accepted);
  // Keys before any issuer database is created, so that a database without its key's hash means a lost file.
  const { records, created } = loadApiKeys({
    dir: join(dataDir, "services"),
    agencies: params.agencies.map((a) => ({ slug: a.slug, established: existsSync(issuerDbPath(a.slug)) })),
  });
  if (Object.keys(created).length > 0) params.onNewApiKeys?.(created);
  const provider = new JsonRpcProvider(params.rpcUrl, descriptor.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  const mirror = new LedgerMirror({ rpc: provider, descriptor, pollIntervalMs: 500 });
  const issuers: Issuer[] = [];
  const openedDbs: DatabaseSync[] = [];
  const closers: (() => void)[] = [];
  let auditLedger: AuditLedger | undefined;
  try {
    await mirror.start();
    // The verifier's stores count their commits in a mark: a consumed challenge or an answered request lost
    // to a damaged WAL is refused at the next start, not served as new.
    const requestsDb = openMarkedServiceDatabase(verifierDbPath, { acceptDataLoss: accepted.has(resolve(verifierDbPath)) });
    closers.push(requestsDb.close);
    const nonces = openDurableNonceStore({ path: noncesPath, acceptDataLoss: accepted.has(resolve(noncesPath)) });
    closers.push(nonces.close);
    const verifier = createVerifier({ descriptor, ledger: mirror, nonceStore: nonces.store });
    const offersDb = openDatabase(offersPath);
    openedDbs.push(offersDb);
    const opened = new Map<string, Issuer>();
    ensurePrivateDir(join(dataDir, "issuer"));
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
            databasePath: issuerDbPath(agency.slug),
            // A missing database is refused when the ledger shows lists of this issuer (its records were lost).
            requireDatabaseIfListsExist: true,
            acceptDataLoss: accepted.has(resolve(issuerDbPath(agency.slug))),
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
        requests: createRequestStore(requestsDb.db, requestsDb.counter),
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
        for (const db of openedDbs) db.close();
        for (const close of closers) close();
        provider.destroy();
      },
    };
  } catch (e) {
    for (const issuer of issuers) await issuer.close().catch(() => undefined);
    for (const db of openedDbs) db.close();
    for (const close of closers) close();
    await Promise.resolve(auditLedger?.close()).catch(() => undefined);
    await Promise.resolve(mirror.stop()).catch(() => undefined);
    provider.destroy();
    throw e;
  }
}
