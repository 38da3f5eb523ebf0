import { type Clock, type NetworkDescriptor, parseEthrDid, systemClock, toEthrDid } from "@mobile-id/core";
import { type Contract, type Provider, type Signer, checkNetwork, checksumAddress, connectContracts, ledgerRpcOf } from "@mobile-id/chain";
import { type ChangeStatusParameters, type ChangeStatusResult, changeCredentialStatus } from "./changeCredentialStatus.ts";
import { createStandingGuard } from "./createStandingGuard.ts";
import type { IssuerJwtSigner } from "./createJwtSigner.ts";
import { IssuerErrorCode, issuerError } from "./errors.ts";
import type { IssuerContext } from "./issuerContext.ts";
import { type IssueCredentialParameters, type IssuedCredential, issueCredential, issueCredentials } from "./issueCredential.ts";
import { issuerLedgerError } from "./ledger.ts";
import {
  type CredentialDetails,
  type CredentialPage,
  type ListCredentialsParameters,
  getCredential,
  listCredentials,
} from "./listCredentials.ts";
import {
  type AdoptStatusListsParameters,
  type EnsureStatusListsParameters,
  type EnsureStatusListsResult,
  type SetListOperatorParameters,
  type StatusListPairInfo,
  adoptStatusLists,
  ensureStatusLists,
  setListOperator,
  statusListPairs,
} from "./provisionStatusLists.ts";
import { type ReconcileParameters, type ReconcileResult, reconcileWithLedger } from "./reconcileWithLedger.ts";
import { type Uint32Source, createStatusIndexAllocator, cryptoUint32Source } from "./statusIndexAllocator.ts";
import { createIssuanceStore } from "./store/createIssuanceStore.ts";
import { commitMarkPath, openIssuerDatabase } from "./store/openIssuerDatabase.ts";
import { existsSync } from "node:fs";
import { DataFileErrorCode, dataFileHint } from "@mobile-id/core/data-files";
import { MobileIdError } from "@mobile-id/core";
import { MAX_BATCH_WORDS } from "@mobile-id/chain";
import { expandCopyGroups } from "./copyGroups.ts";
import { type IssueSdJwtVcBatchParameters, type IssuedSdJwtVcBatch, issueSdJwtVcBatch } from "./issueSdJwtVcBatch.ts";
import { type StatusListTokenParameters, createStatusListToken } from "./statusListToken.ts";
import { type IssuerMetadataJwtParameters, createIssuerMetadataJwt } from "./openid4vci/issuerMetadataJwt.ts";
import { type CreateHolderIndexParameters, type FindHoldersParameters, type HolderEntry, type HolderIndex, type RecordHolderParameters, createHolderIndex } from "./holders/createHolderIndex.ts";
import { type HolderMatch, findHolderMatches } from "./holders/findHolders.ts";
import { type JournalWatcher, type WatchJournalParameters, watchJournal } from "./watchJournal.ts";

export interface CreateIssuerParameters {
  /** The network descriptor, already verified against the trusted root key (`verifyNetworkDescriptor`). */
  readonly descriptor: NetworkDescriptor;
  readonly provider: Provider;
  /** The issuer identity, address form: `did:ethr:0x7a69:0x<identity>`. */
  readonly issuer: string;
  /** Signs the credential JWTs: the identity's owner key or a `veriKey` delegate ({@link createJwtSigner}). */
  readonly jwtSigner: IssuerJwtSigner;
  /** Writes status changes: a key the issuer named operator of its lists. Needed by revoke/suspend/reinstate. */
  readonly operator?: Signer;
  /** The identity's current ERC-1056 owner key. Needed only to create lists and name operators. */
  readonly owner?: Signer;
  /** The SQLite issuance database (created if missing); one issuer process per file. */
  readonly databasePath: string;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Keep claim values in the database. Default false: the issuer keeps no personal data beyond the holder DID. */
  readonly storeClaims?: boolean;
  readonly statusLists?: {
    /** log2 of the entries of new lists, 17 to 24. Default 20 (1,048,576 entries). */
    readonly sizeLog2?: number;
    /** Fraction of a pair handed out before moving to the next, (0, 0.9]. Default 0.5. */
    readonly fillThreshold?: number;
    /** Accepting pairs `ensureStatusLists` keeps ready beyond the current one. Default 1. */
    readonly sparePairs?: number;
  };
  /** Seconds a positive in-force answer is reused (never past the accreditation's end). Default 30; 0 disables. */
  readonly standingCacheTtlSeconds?: number;
  /** Validity of a credential when `expiresAt` is not given. Default 365 days. */
  readonly defaultValiditySeconds?: number;
  /**
   * Ledger writes: confirmations to wait for (default 1), how long to wait for a receipt before leaving the
   * change to `reconcile` (default 60 s), most words per batch transaction (default and maximum 1,024).
   */
  readonly ledger?: {
    readonly confirmations?: number;
    readonly timeoutMs?: number;
    readonly maxBatchWords?: number;
    /** Interval between receipt polls, ms. Default 250. */
    readonly pollMs?: number;
  };
  /**
   * Reconcile when opening: settle journaled ledger operations, write again those the ledger lost, check the
   * status lists. Default true.
   */
  readonly reconcileOnOpen?: boolean;
  /** Most issuance records per group commit. Default 256. */
  readonly maxCommitBatch?: number;
  /** Random 32-bit source for status entries. Default: `crypto.randomFillSync`. For tests only. */
  readonly random?: Uint32Source;
  /**
   * Open even though the database lost acknowledged transactions, or is missing while the ledger shows status
   * lists of this issuer (a new, empty database is then created). Only on the operator's explicit word.
   */
  readonly acceptDataLoss?: boolean;
  /**
   * Refuse (`DATA_FILE_MISSING`) to create a new database when the ledger already shows status lists of this
   * issuer: its records were somewhere, and an empty database would silently give up every credential issued
   * so far. The services turn this on; default false (tools and tests that open further databases of one
   * issuer on purpose).
   */
  readonly requireDatabaseIfListsExist?: boolean;
  /**
   * Keep a holder index (reference, name, portrait thumbnail per credential; encrypted at rest, never on the
   * ledger): every issuance writes a row, {@link Issuer.findHolders} searches it. Default: none.
   */
  readonly holderIndex?: Omit<CreateHolderIndexParameters, "clock">;
}

/** An issuer: what a university or a licensing office runs. */
export interface Issuer {
  readonly did: string;
  readonly address: string;
  /** Issues one credential; see {@link issueCredential}. */
  issue(params: IssueCredentialParameters): Promise<IssuedCredential>;
  /** Issues several credentials, all or nothing, in one database transaction. */
  issueMany(requests: readonly IssueCredentialParameters[]): Promise<IssuedCredential[]>;
  /**
   * Issues one credential as N unlinkable SD-JWT VC copies (one per holder key), grouped under one id that
   * revoke/suspend/reinstate take; see {@link issueSdJwtVcBatch}.
   */
  issueSdJwtVc(params: IssueSdJwtVcBatchParameters): Promise<IssuedSdJwtVcBatch>;
  /** A signed Status List Token (`statuslist+jwt`) of one of this issuer's list pairs; see {@link createStatusListToken}. */
  statusListToken(params: StatusListTokenParameters): Promise<string>;
  /** This issuer's Credential Issuer Metadata signed with its key (OpenID4VCI `signed_metadata`); see {@link createIssuerMetadataJwt}. */
  issuerMetadataJwt(params: IssuerMetadataJwtParameters): Promise<string>;
  /**
   * Revokes credentials (permanent): one ledger transaction per list. An SD-JWT VC batch id stands for all its
   * copies (`changed` then lists the copies' ids, `<id>.<position>`).
   */
  revoke(params: ChangeStatusParameters): Promise<ChangeStatusResult>;
  /** Suspends credentials (reversible); refuses revoked ones. */
  suspend(params: ChangeStatusParameters): Promise<ChangeStatusResult>;
  /** Lifts suspensions; refuses revoked credentials. */
  reinstate(params: ChangeStatusParameters): Promise<ChangeStatusResult>;
  /** One credential with its status history, or `undefined`. */
  getCredential(id: string): CredentialDetails | undefined;
  /** Issued credentials, filtered, a page at a time. */
  listCredentials(params?: ListCredentialsParameters): CredentialPage;
  /** The issuer's list pairs and their fill. */
  statusLists(): StatusListPairInfo[];
  /** Creates lists (owner key) until one pair plus the spares accept new credentials. */
  ensureStatusLists(params?: EnsureStatusListsParameters): Promise<EnsureStatusListsResult>;
  /** Adopts a pair of lists created elsewhere, after checking them on the ledger. */
  adoptStatusLists(params: AdoptStatusListsParameters): Promise<StatusListPairInfo>;
  /** Names or un-names an operator key on every list (owner key). */
  setListOperator(params: SetListOperatorParameters): Promise<{ transactions: string[] }>;
  /** Settles journaled ledger operations, writes again those the ledger lost, aligns local statuses with the ledger. */
  reconcile(params?: ReconcileParameters): Promise<ReconcileResult>;
  /**
   * Keeps checking, while the issuer runs, that its confirmed ledger writes are still on the ledger, and writes
   * again those a restarted node lost; see {@link watchJournal}. `close` stops it.
   */
  watchJournal(params?: WatchJournalParameters): JournalWatcher;
  /**
   * Adds a row to the holder index (the issue paths do it themselves from the claims; an issuance path that knows
   * the person otherwise, e.g. OpenID4VCI from the agency's record, calls this). Throws `HOLDER_INDEX_DISABLED`
   * without a holder index.
   */
  recordHolder(params: RecordHolderParameters): HolderEntry;
  /** Holder index rows by reference (exact), name (normalised) or credential id, each credential with its status. */
  findHolders(params: FindHoldersParameters): HolderMatch[];
  /** Commits queued records, waits for ledger writes in progress, closes the database. */
  close(): Promise<void>;
}

const DAY = 24 * 60 * 60;

/**
 * Opens an issuer: checks the ledger it talks to against the descriptor (chain id, contract code), opens its
 * database, loads its list pairs and settles any ledger operation an earlier run left unresolved.
 *
 * @example
 * ```ts
 * const issuer = await createIssuer({
 *   descriptor, provider,
 *   issuer: "did:ethr:0x7a69:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
 *   jwtSigner: createJwtSigner(process.env.MID_ISSUER_SIGNING_KEY!),
 *   operator: new Wallet(process.env.MID_ISSUER_OPERATOR_KEY!, provider),
 *   databasePath: "/var/lib/mobile-id/issuer.db",
 * });
 * await issuer.ensureStatusLists(); // once, where the owner key is configured
 * const { jwt, id } = await issuer.issue({ type: "StudentIDCredential", holder, claims });
 * ```
 */
export async function createIssuer(params: CreateIssuerParameters): Promise<Issuer> {
  const { descriptor, provider } = params;
  // A did:ethr issuer's keys are secp256k1 keys: an ES256 (P-256) signer could never be authorized by the registry.
  if (params.jwtSigner.alg !== "ES256K") {
    throw issuerError("INVALID_ARGUMENT", "the JWT signer of a did:ethr issuer must sign ES256K", { details: { alg: params.jwtSigner.alg } });
  }
  const chainId = descriptor.chainId;
  const parsed = parseEthrDid(params.issuer);
  if (parsed === undefined || parsed.publicKey !== undefined) {
    throw issuerError("INVALID_ARGUMENT", "the issuer must be an address-form did:ethr", {
      details: { issuer: params.issuer },
      hint: `did:ethr:0x${chainId.toString(16)}:0x<identity address>`,
    });
  }
  if (parsed.chainId !== BigInt(chainId)) {
    throw issuerError("CHAIN_MISMATCH", "the issuer DID names another chain", {
      details: { issuer: params.issuer, chainId },
    });
  }
  const settings = {
    storeClaims: params.storeClaims ?? false,
    sizeLog2: params.statusLists?.sizeLog2 ?? 20,
    fillThreshold: params.statusLists?.fillThreshold ?? 0.5,
    sparePairs: params.statusLists?.sparePairs ?? 1,
    defaultValiditySeconds: params.defaultValiditySeconds ?? 365 * DAY,
  };
  // Every transaction this issuer sends or settles: a journal watcher may skip a pass only if none was sent since
  // its last pass in step (watchJournal).
  const ledgerSends = { count: 0 };
  const ledger = {
    confirmations: params.ledger?.confirmations ?? 1,
    timeoutMs: params.ledger?.timeoutMs ?? 60_000,
    maxBatchWords: params.ledger?.maxBatchWords ?? MAX_BATCH_WORDS,
    pollMs: params.ledger?.pollMs ?? 250,
    onSend: () => {
      ledgerSends.count++;
    },
  };
  if (!Number.isInteger(ledger.maxBatchWords) || ledger.maxBatchWords < 1 || ledger.maxBatchWords > MAX_BATCH_WORDS) {
    throw issuerError("INVALID_ARGUMENT", `ledger.maxBatchWords must be an integer from 1 to ${MAX_BATCH_WORDS}`);
  }
  if (!Number.isInteger(ledger.confirmations) || ledger.confirmations < 1 || !(ledger.timeoutMs > 0) || !(ledger.pollMs > 0)) {
    throw issuerError("INVALID_ARGUMENT", "ledger.confirmations must be a positive integer, timeoutMs and pollMs positive");
  }
  const ttl = params.standingCacheTtlSeconds ?? 30;
  const maxBatch = params.maxCommitBatch ?? 256;
  if (!Number.isInteger(settings.sizeLog2) || settings.sizeLog2 < 17 || settings.sizeLog2 > 24) {
    throw issuerError("INVALID_ARGUMENT", "statusLists.sizeLog2 must be an integer from 17 to 24");
  }
  if (!(settings.fillThreshold > 0 && settings.fillThreshold <= 0.9)) {
    throw issuerError("INVALID_ARGUMENT", "statusLists.fillThreshold must be in (0, 0.9]");
  }
  if (!Number.isInteger(settings.defaultValiditySeconds) || settings.defaultValiditySeconds <= 0) {
    throw issuerError("INVALID_ARGUMENT", "defaultValiditySeconds must be a positive integer");
  }
  if (!Number.isInteger(ttl) || ttl < 0 || !Number.isInteger(maxBatch) || maxBatch < 1) {
    throw issuerError("INVALID_ARGUMENT", "standingCacheTtlSeconds and maxCommitBatch must be non-negative integers");
  }

  await checkLedger(provider, descriptor);
  const withProvider = async (s: Signer | undefined) => {
    if (s === undefined) return undefined;
    const signer = s.provider == null ? s.connect(provider) : s;
    return { signer, address: checksumAddress(await signer.getAddress()) };
  };
  const operator = await withProvider(params.operator);
  const owner = await withProvider(params.owner);

  const issuerAddress = parsed.address;
  const statusRegistryAddress = checksumAddress(descriptor.contracts.statusRegistry.address);
  const contracts = connectContracts({ descriptor, runner: provider });
  if (
    params.requireDatabaseIfListsExist === true &&
    params.acceptDataLoss !== true &&
    !existsSync(params.databasePath) &&
    !existsSync(commitMarkPath(params.databasePath))
  ) {
    await refuseIfListsExist(contracts.statusRegistry, issuerAddress, descriptor.contracts.statusRegistry.deployBlock, params.databasePath);
  }
  const { db, mark } = openIssuerDatabase(
    params.databasePath,
    { issuer: issuerAddress, chainId: String(chainId), statusRegistry: statusRegistryAddress },
    { acceptDataLoss: params.acceptDataLoss === true },
  );
  const store = createIssuanceStore(db, { maxBatch, mark });
  let holders: HolderIndex | undefined;
  try {
    holders = params.holderIndex === undefined ? undefined : createHolderIndex({ ...params.holderIndex, clock: params.clock ?? systemClock });
  } catch (e) {
    store.close();
    throw e;
  }
  const allocator = createStatusIndexAllocator({
    fillThreshold: settings.fillThreshold,
    random: params.random ?? cryptoUint32Source(),
  });
  const pairs = new Map(store.lists.pairs().map((p) => [p.pairId, p] as const));
  for (const p of pairs.values()) allocator.addPair(p, store.records.usedIndexes(p.pairId));

  let tail: Promise<unknown> = Promise.resolve();
  const ctx: IssuerContext = {
    chainId,
    provider,
    issuerDid: toEthrDid(chainId, issuerAddress),
    issuerAddress,
    statusRegistryAddress,
    contracts,
    jwtSigner: params.jwtSigner,
    jwtSignerAddress: params.jwtSigner.address,
    operator,
    owner,
    records: store.records,
    lists: store.lists,
    journal: store.journal,
    allocator,
    pairs,
    guard: createStandingGuard({
      provider,
      accreditationRegistry: contracts.accreditationRegistry,
      didRegistry: contracts.didRegistry,
      issuerAddress,
      signerAddress: params.jwtSigner.address,
      ttlSeconds: ttl,
    }),
    clock: params.clock ?? systemClock,
    settings,
    holders,
    ledger,
    ledgerSends: () => ledgerSends.count,
    exclusive: <T>(fn: () => Promise<T>): Promise<T> => {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },
  };

  // Always: besides settling unsettled writes, reconcile finds confirmed writes the ledger node has since lost
  // (cheap when none were: one block look-up at the checkpoint) and writes them again before anything is served.
  if (params.reconcileOnOpen !== false) {
    try {
      await reconcileWithLedger(ctx);
    } catch (e) {
      store.close();
      holders?.close();
      throw e;
    }
  }

  let closed = false;
  const watchers: JournalWatcher[] = [];
  // With a watcher running, a status change first lets it write back what a restarted node lost (one block
  // look-up when nothing was): a lost suspension re-sent AFTER a newer reinstatement would undo it.
  const caughtUp = async () => {
    for (const w of watchers) await w.check();
  };
  const open = () => {
    if (closed) throw issuerError(IssuerErrorCode.ISSUER_CLOSED, "the issuer is closed");
  };
  return {
    did: ctx.issuerDid,
    address: issuerAddress,
    issue: async (p) => (open(), issueCredential(ctx, p)),
    issueMany: async (r) => (open(), issueCredentials(ctx, r)),
    issueSdJwtVc: async (p) => (open(), issueSdJwtVcBatch(ctx, p)),
    statusListToken: async (p) => (open(), createStatusListToken(ctx, p)),
    issuerMetadataJwt: async (p) => (open(), createIssuerMetadataJwt(ctx, p)),
    revoke: async (p) => (open(), await caughtUp(), changeCredentialStatus(ctx, "revoke", expandCopyGroups(ctx, p))),
    suspend: async (p) => (open(), await caughtUp(), changeCredentialStatus(ctx, "suspend", expandCopyGroups(ctx, p))),
    reinstate: async (p) => (open(), await caughtUp(), changeCredentialStatus(ctx, "reinstate", expandCopyGroups(ctx, p))),
    getCredential: (id) => (open(), getCredential(ctx, id)),
    listCredentials: (p) => (open(), listCredentials(ctx, p)),
    statusLists: () => (open(), statusListPairs(ctx)),
    ensureStatusLists: async (p) => (open(), ensureStatusLists(ctx, p)),
    adoptStatusLists: async (p) => (open(), adoptStatusLists(ctx, p)),
    setListOperator: async (p) => (open(), setListOperator(ctx, p)),
    reconcile: async (p) => (open(), reconcileWithLedger(ctx, p)),
    recordHolder: (p) => (open(), requireHolders(holders).recordHolder(p)),
    findHolders: (p) => (open(), findHolderMatches(ctx, requireHolders(holders), p)),
    watchJournal: (p) => {
      open();
      const w = watchJournal(ctx, p);
      watchers.push(w);
      return w;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const w of watchers) await w.stop();
      await ctx.exclusive(async () => undefined);
      store.close();
      holders?.close();
    },
  };
}

function requireHolders(holders: HolderIndex | undefined): HolderIndex {
  if (holders === undefined) throw new MobileIdError("HOLDER_INDEX_DISABLED", "this issuer keeps no holder index", { hint: "createIssuer({ holderIndex: { path, keyPath } })" });
  return holders;
}

/**
 * Refuses a provider on another chain, or one where the descriptor's contracts are not deployed as described
 * (chain's `checkNetwork`, the check every reader of the ledger runs).
 */
async function checkLedger(provider: Provider, descriptor: NetworkDescriptor): Promise<void> {
  await checkNetwork(ledgerRpcOf(provider), descriptor);
}

/**
 * A missing database is created only for an issuer that has no status list on the ledger yet: if lists of
 * this issuer exist, its records (which credentials sit at which entries) were somewhere, and starting empty
 * would silently give up managing every credential issued so far (and create new lists beside the old).
 */
async function refuseIfListsExist(
  statusRegistry: Contract,
  issuer: string,
  fromBlock: number,
  path: string,
): Promise<void> {
  let lists: number;
  try {
    const events = await statusRegistry.queryFilter(statusRegistry.getEvent("StatusListCreated")(null, issuer), fromBlock);
    lists = events.length;
  } catch (e) {
    throw issuerLedgerError(e, "reading the issuer's status lists");
  }
  if (lists === 0) return;
  throw new MobileIdError(DataFileErrorCode.DATA_FILE_MISSING, `the issuance database ${path} is missing`, {
    details: { path, issuer, statusListsOnLedger: lists },
    hint: dataFileHint(path),
  });
}
