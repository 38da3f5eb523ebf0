import { existsSync } from "node:fs";
import type { IncomingMessage, Server } from "node:http";
import { join, resolve } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { JsonRpcProvider, type Signer } from "ethers";
import { type AuditLedger, openLedger } from "@mobile-id/auditor";
import { LedgerMirror, type LedgerRpc, type LedgerWriteJournal, connectContracts, createFetchLedgerRpc, mirrorHeadProbe, openLedgerWriteJournal, watchLedgerWriteJournal } from "@mobile-id/chain";
import { createRelyingPartyReader } from "@mobile-id/chain";
import { type NetworkDescriptor, isMobileIdError, toEthrDid } from "@mobile-id/core";
import { createNodeEs256kSigner } from "@mobile-id/core";
import { checkOfflinePolicy, openLedgerReplica } from "./ledgerReplica.ts";
import { type Issuer, IssuerErrorCode, type JournalWatcher, createIssuer, createJwtSigner } from "@mobile-id/issuer";
import { cacheRelyingPartyLedger, createOpenid4vpVerifier, createVerifier, openDurableNonceStore } from "@mobile-id/verifier";
import { type CreateServerParameters, createServer } from "./createServer.ts";
import { createAcknowledgedWrites } from "./acknowledgedWrites.ts";
import { DEFAULT_HTTP_LIMITS } from "./http/edge.ts";
import { listenWalletOrigin } from "./http/walletOrigin.ts";
import { createLedgerReadiness } from "./ledgerReadiness.ts";
import type { IssuerTenant } from "./routes/issuer.ts";
import { createOfferStore } from "./routes/offerStore.ts";
import { openOpenid4vciIssuers } from "./openid4vci/openOpenid4vciIssuers.ts";
import { loadApiKeys } from "./stores/apiKeyStore.ts";
import { ensurePrivateDir, refuseMissing } from "./stores/dataDir.ts";
import { openDatabase, openMarkedServiceDatabase } from "./stores/database.ts";
import { openDataFile } from "@mobile-id/core/data-files";
import { offlineRelyingPartyLedger } from "./offlineRelyingPartyLedger.ts";
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
  /**
   * The host name the services are reached by, in every URL they print and hand out (offers, requests, issuer
   * metadata), when it is not {@link host} (the address listened on): e.g. `mid-desk.local` with
   * `pnpm start --lan --lan-name`, so that a phone's wallet runs on a named origin, which WebAuthn accepts.
   */
  readonly publicHost?: string;
  /** 0 picks a free port. Default 8080. */
  readonly port?: number;
  /** The verifier's domain (audience of its requests). Default `verifier.mobile-id.local`. */
  readonly verifierDomain?: string;
  readonly logger?: boolean | { readonly level: string };
  /** The built web app to serve under `/app/` (e.g. `packages/web/dist`); no pages when absent. */
  readonly webRoot?: string;
  /** Timeouts and connection caps of the HTTP server (see `createServer`). */
  readonly httpLimits?: CreateServerParameters["httpLimits"];
  /** Per-IP cap on creating presentation requests (see `createServer`). Default 60 per minute. */
  readonly createRateLimit?: CreateServerParameters["createRateLimit"];
  /** Seconds an unread verification outcome (the holder's claims) is kept after the answer. Default 300. */
  readonly outcomeTtlSeconds?: number;
  /** Failed answers a presentation request accepts before it is closed. Default 3. */
  readonly maxFailedAnswers?: number;
  /**
   * How often each issuer checks its journal of confirmed ledger writes against the ledger, writing again what
   * a restarted node lost (ms). Default 1,000.
   */
  readonly journalWatchIntervalMs?: number;
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
  /**
   * The verifier's ledger replica file (saved every 1,000 blocks or 60 s, and on close; loaded at start). Default
   * `<dataDir>/verifier/ledger-replica.bin`.
   */
  readonly replicaFile?: string;
  /**
   * Offline policy: how long (seconds) after the replica last confirmed the ledger's head it keeps answering while
   * the ledger is unreachable; past it, `LEDGER_UNAVAILABLE`. Default 900 (15 minutes), at most 86,400 (24 hours).
   */
  readonly maxStalenessSeconds?: number;
  /**
   * Key and certificate chain (PEM, e.g. from `ensureLanCertificates`): every listener speaks HTTPS and every
   * URL the services hand out is `https:`.
   */
  readonly tls?: { readonly key: string; readonly cert: string };
  /**
   * Serves the wallet on its own origin: this port on the same host (0 picks a free one). The wallet pages are
   * then served there only (`/app/wallet/` on the main port redirects), and offer and request links point there.
   * Without it, the wallet shares the main origin.
   */
  readonly walletPort?: number;
  /**
   * The services' verifier as a relying party registered on the ledger (dev roster account 9): with it, the
   * OpenID4VP 1.0 routes (`/verifier/openid4vp/…`) sign their request objects with this key, as
   * `decentralized_identifier:did:ethr:<chain>:<address>`. Without it, no OpenID4VP routes.
   */
  readonly relyingParty?: { readonly signer: Signer & { readonly privateKey: string } };
}

export interface RunningServices {
  readonly app: FastifyInstance;
  readonly url: string;
  /** Base URL of the wallet's origin (`walletPort`), or {@link url} when the wallet shares the main origin. */
  readonly walletUrl: string;
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
  const maxStalenessSeconds = checkOfflinePolicy(params.maxStalenessSeconds);
  const provider = new JsonRpcProvider(params.rpcUrl, descriptor.chainId, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  // Every failed poll (node unreachable, or its chain went back under the mirror) is an outage: ledger-backed
  // answers stay closed until each issuer has checked its journal against the ledger since (ledgerReadiness.ts).
  const outage: { note: () => void } = { note: () => undefined };
  // What the start has to say before the server (and its logger) exists: logged once it does.
  const startNotes: string[] = [];
  const mirror = new LedgerMirror({
    // The mirror catches up with eth_getLogs over the whole ledger: tens of MB per answer on a large one, which
    // ethers' transport reads in quadratic time; fetch reads it in linear time. Those answers may take long; every
    // other call is small, so a node that does not answer one within 10 s (alive but silent: a cut cable, a
    // frozen process) counts as away, and the offline policy starts to run, instead of a poll hanging for 60 s.
    rpc: ledgerRpcWithTimeouts(params.rpcUrl),
    descriptor,
    pollIntervalMs: 500,
    maxStalenessSeconds,
    onError: () => outage.note(),
    onReplicaDropped: (reason) => startNotes.push(`the saved ledger replica is not on the node (${reason}): synced from zero`),
  });
  const replica = openLedgerReplica({ mirror, descriptor, path: params.replicaFile ?? join(dataDir, "verifier", "ledger-replica.bin"), notes: startNotes });
  const issuers: Issuer[] = [];
  const openedDbs: DatabaseSync[] = [];
  let governanceJournal: LedgerWriteJournal | undefined;
  let governanceWatcher: ReturnType<typeof watchLedgerWriteJournal> | undefined;
  const closers: (() => void)[] = [];
  let auditLedger: AuditLedger | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;
  try {
    await mirror.start();
    replica.startSaving((e) => appLog.current?.error({ err: e }, "the ledger replica could not be saved"));
    const watchers = new Map<string, Pick<JournalWatcher, "status">>();
    const ledgerHead = mirrorHeadProbe(mirror);
    // The server (and its logger) exists only once the issuers are open.
    const appLog: { current?: FastifyBaseLogger } = {};
    const acknowledged = createAcknowledgedWrites();
    const readiness = createLedgerReadiness({ mirror, maxStalenessSeconds, watchers, acknowledgedThroughBlock: acknowledged.throughBlock });
    outage.note = readiness.noteOutage;
    // The verifier's stores count their commits in a mark: a consumed challenge or an answered request lost
    // to a damaged WAL is refused at the next start, not served as new.
    const requestsDb = openMarkedServiceDatabase(verifierDbPath, { acceptDataLoss: accepted.has(resolve(verifierDbPath)) });
    closers.push(requestsDb.close);
    const requests = openDataFile(verifierDbPath, "the verifier's request database", () =>
      createRequestStore(requestsDb.db, {
        counter: requestsDb.counter,
        ...(params.outcomeTtlSeconds === undefined ? {} : { outcomeTtlSeconds: params.outcomeTtlSeconds }),
      }),
    );
    const nonces = openDurableNonceStore({ path: noncesPath, acceptDataLoss: accepted.has(resolve(noncesPath)) });
    closers.push(nonces.close);
    const verifier = createVerifier({ descriptor, ledger: readiness.reader, nonceStore: nonces.store });
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
            // Who each card was issued to, for the console's look-up: encrypted, its key in its own 0600 file.
            holderIndex: { path: join(dataDir, "issuer", `${agency.slug}.holders.sqlite`), keyPath: join(dataDir, "issuer", `${agency.slug}.holders.key`) },
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
        // Reconciling on open is not enough: a ledger node restarted while the services run (alone, or by
        // `pnpm start`'s supervisor) may have lost acknowledged writes; the watcher writes them again.
        watchers.set(
          agency.slug,
          issuer.watchJournal({
            ...(params.journalWatchIntervalMs === undefined ? {} : { intervalMs: params.journalWatchIntervalMs }),
            // The mirror polls the head anyway: while it stays where a pass found every write, a pass asks nothing.
            ledgerHead,
            onReconciled: (r) => {
              if (r.recovered.length > 0 || r.reapplied.length > 0 || r.operators.restored.length > 0) {
                appLog.current?.warn(
                  { issuer: agency.slug, recovered: r.recovered.length, reapplied: r.reapplied.length, operators: r.operators.restored.length },
                  "wrote again ledger writes the node had lost",
                );
              }
            },
          }),
        );
      }
      if (retry.length === waiting.length) throw gap;
      waiting = retry;
    }
    // Governance writes made with `mid gov …` on this data directory are journaled there: write again what a
    // restarted node lost of them too.
    const journal = openLedgerWriteJournal(join(dataDir, "ledger-journal.sqlite"));
    governanceJournal = journal;
    governanceWatcher = watchLedgerWriteJournal({
      journal,
      provider,
      ledgerHead,
      onRecovered: (r) => {
        appLog.current?.warn({ rewritten: r.rewritten.length, conflicts: r.conflicts }, "governance writes the node had lost: written again / in conflict");
      },
    });
    watchers.set("governance", governanceWatcher);
    const tenants: IssuerTenant[] = params.agencies.map((a) => ({ id: a.slug, name: a.name, issuer: acknowledged.track(opened.get(a.slug) as Issuer) }));
    // The mirror caught up before the issuers wrote lost revocations again: catch up once more, so that the
    // verifier's first answer already sees them.
    await mirror.sync();
    auditLedger = await openLedger({ descriptor, provider });
    const host = params.host ?? "127.0.0.1";
    const port = params.port ?? 8080;
    // The public base URL is known only after listen (port 0); routes read it lazily through this holder.
    const scheme = params.tls === undefined ? "http" : "https";
    // An IPv6 literal is bracketed in a URL.
    const named = params.publicHost ?? host;
    const urlHost = named.includes(":") ? `[${named}]` : named;
    const base = { url: `${scheme}://${urlHost}:${port}`, wallet: `${scheme}://${urlHost}:${params.walletPort ?? port}` };
    const walletRequests = new WeakSet<IncomingMessage>();
    const walletOrigin =
      params.walletPort === undefined
        ? undefined
        : { url: () => base.wallet, mainUrl: () => base.url, servedHere: (raw: IncomingMessage) => walletRequests.has(raw) };
    // Outcomes nobody read and expired requests go, also when no new request comes in to trigger a purge; the
    // checkpoint then moves the zeroed pages out of the WAL too (secure_delete covers the main file).
    const purge = () => {
      try {
        requests.purge(Math.floor(Date.now() / 1000));
        requestsDb.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch {
        // a busy or failing database is retried on the next tick; the verifier routes report their own errors
      }
    };
    purge();
    purgeTimer = setInterval(purge, 30_000);
    purgeTimer.unref();
    const app = await createServer({
      descriptor,
      ledgerStatus: () => readiness.status(),
      issuers: { tenants, keys: records },
      verifier: {
        verifier,
        requests,
        ...(params.maxFailedAnswers === undefined ? {} : { maxFailedAnswers: params.maxFailedAnswers }),
        get publicBaseUrl() {
          return base.url;
        },
        get walletBaseUrl() {
          return walletOrigin === undefined ? base.url : base.wallet;
        },
        domain: params.verifierDomain ?? "verifier.mobile-id.local",
      },
      ...(params.relyingParty === undefined
        ? {}
        : {
            openid4vp: {
              relyingParty: {
                did: toEthrDid(descriptor.chainId, await params.relyingParty.signer.getAddress()),
                signer: createNodeEs256kSigner(params.relyingParty.signer.privateKey),
              },
              // Read once per ledger block (the mirror's head), not once per request.
              // Offline at the counter, registrations come from what was read under the replica's head (policy as
              // for the rest of the verifier); the node is not called while it does not answer.
              registrations: cacheRelyingPartyLedger({
                ledger: offlineRelyingPartyLedger({ ledger: createRelyingPartyReader({ descriptor, provider }), readiness }),
                block: () => readiness.reader.freshness()?.head.blockHash,
              }),
              // The mirror's head time, or the wall clock when the ledger has not moved since (a registration's
              // window ends with time even while no block is made).
              ledgerTime: async () => Math.max(readiness.reader.freshness()?.head.timestamp ?? 0, Math.floor(Date.now() / 1000)),
              verifier: createOpenid4vpVerifier({ descriptor, ledger: readiness.reader, nonceStore: nonces.store }),
              ...(params.outcomeTtlSeconds === undefined ? {} : { outcomeTtlSeconds: params.outcomeTtlSeconds }),
              get publicBaseUrl() {
                return base.url;
              },
            },
          }),
      auditor: auditLedger,
      offers: {
        tenants,
        offers: openDataFile(offersPath, "the credential offer database", () => createOfferStore(offersDb)),
        verifyCredential: (credential) => verifier.verifyCredential({ credential }),
        get publicBaseUrl() {
          return base.url;
        },
        get walletBaseUrl() {
          return walletOrigin === undefined ? base.url : base.wallet;
        },
      },
      holder: { chainId: descriptor.chainId, ledger: readiness.reader, contracts: connectContracts({ descriptor, runner: provider }) },
      sdJwtVc: {
        tenants,
        ledger: readiness.reader,
        get publicBaseUrl() {
          return base.url;
        },
      },
      openid4vci: openOpenid4vciIssuers({
        path: join(dataDir, "services", "openid4vci.sqlite"),
        tenants,
        ledger: readiness.reader,
        baseUrl: () => base.url,
        onOpen: (db) => openedDbs.push(db),
        onClose: (stop) => closers.push(stop),
      }),
      ...(params.webRoot === undefined ? {} : { web: { root: params.webRoot, walletLoopbackHttp: params.tls === undefined } }),
      ...(params.logger === undefined ? {} : { logger: params.logger }),
      ...(params.httpLimits === undefined ? {} : { httpLimits: params.httpLimits }),
      ...(params.createRateLimit === undefined ? {} : { createRateLimit: params.createRateLimit }),
      ...(params.tls === undefined ? {} : { tls: params.tls }),
      // The names this server is reached under (the public host name with --lan-name, the wallet's port) besides
      // the address it listens on, for absolute-form request targets.
      authorities: () => [...new Set([new URL(base.url).host, new URL(base.wallet).host])],
      ...(walletOrigin === undefined ? {} : { walletOrigin }),
    });
    appLog.current = app.log;
    for (const note of startNotes.splice(0)) app.log.warn(note);
    await app.listen({ host, port });
    const address = app.server.address();
    if (address !== null && typeof address === "object") base.url = `${scheme}://${urlHost}:${address.port}`;
    let walletServer: Server | undefined;
    if (params.walletPort !== undefined) {
      try {
        walletServer = await listenWalletOrigin({
          app,
          host,
          port: params.walletPort,
          tls: params.tls,
          limits: { ...DEFAULT_HTTP_LIMITS, ...params.httpLimits },
          mark: (raw) => walletRequests.add(raw),
        });
      } catch (e) {
        await app.close();
        throw e;
      }
      const walletAddress = walletServer.address();
      if (walletAddress !== null && typeof walletAddress === "object") base.wallet = `${scheme}://${urlHost}:${walletAddress.port}`;
    }
    const openWallet = walletServer;
    const ledgerToClose = auditLedger;
    return {
      app,
      url: base.url,
      walletUrl: base.wallet,
      newApiKeys: created,
      close: async () => {
        clearInterval(purgeTimer);
        if (openWallet !== undefined) {
          const closed = new Promise<void>((resolve) => openWallet.close(() => resolve()));
          openWallet.closeIdleConnections();
          await closed;
        }
        await app.close();
        for (const issuer of issuers) await issuer.close();
        await governanceWatcher?.stop();
        governanceJournal?.close();
        await ledgerToClose.close();
        await mirror.stop();
        await replica.stop();
        for (const db of openedDbs) db.close();
        for (const close of closers) close();
        provider.destroy();
      },
    };
  } catch (e) {
    clearInterval(purgeTimer);
    for (const issuer of issuers) await issuer.close().catch(() => undefined);
    await governanceWatcher?.stop();
    governanceJournal?.close();
    for (const db of openedDbs) db.close();
    for (const close of closers) close();
    await Promise.resolve(auditLedger?.close()).catch(() => undefined);
    await Promise.resolve(mirror.stop()).catch(() => undefined);
    await replica.stop({ save: false });
    provider.destroy();
    throw e;
  }
}

/** Calls other than `eth_getLogs` (the head poll, block and state reads) time out after this. */
const LEDGER_CALL_TIMEOUT_MS = 10_000;
/** `eth_getLogs` answers (catching up over a large ledger) time out after this. */
const LEDGER_LOGS_TIMEOUT_MS = 120_000;

/** The services' JSON-RPC client: short timeouts for small calls, a long one for log ranges. */
function ledgerRpcWithTimeouts(url: string): LedgerRpc {
  const small = createFetchLedgerRpc({ url, timeoutMs: LEDGER_CALL_TIMEOUT_MS });
  const logs = createFetchLedgerRpc({ url, timeoutMs: LEDGER_LOGS_TIMEOUT_MS });
  return { send: (method, rpcParams) => (method === "eth_getLogs" ? logs : small).send(method, rpcParams) };
}
