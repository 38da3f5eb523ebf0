/**
 * The wallet's state and the helpers every screen and action shares. One store holds everything the screens draw;
 * each change redraws. The route (which screen, in the URL fragment) is mirrored into the store by `main.ts`.
 */
import type { CredentialDetails, PreparePresentationReturnType, Wallet, WalletStorage } from "@mobile-id/wallet/browser";
import { listCredentials, showCredential } from "@mobile-id/wallet/browser";
import { parseEthrDid } from "@mobile-id/core/browser";
import type { RequestView, VerificationOutcome } from "../lib/api.ts";
import { type UiError, errorOf } from "../lib/uiError.ts";
import type { Router } from "../lib/router.ts";
import type { Store } from "../lib/store.ts";
import type { WalletLink } from "../lib/walletLinks.ts";
import { rememberStatuses } from "./sdjwt/sealedStatus.ts";
import { refreshableBatches } from "./sdjwt/refreshGrants.ts";
import type { WalletRoute } from "./routes.ts";
import type { CardStatus, createStatusChecker } from "./status.ts";
import type { ConsentState } from "./consent.ts";
import type { DeviceDb } from "./idb.ts";
import { type SdJwtCard, listCards } from "./sdjwt/copies.ts";
import { sdJwtCardStatus } from "./sdjwt/cardStatus.ts";
import type { Vault } from "./sdjwt/vault.ts";
import type { VpState } from "./openid4vp/present.ts";
import type { OpenedCredentialOffer } from "./credentialOffer.ts";

/** A received credential offer, before the holder saves or declines it. */
export interface OfferState {
  readonly jwt: string;
  readonly issuerName: string;
  /** The card's standing on the ledger, once checked. */
  readonly status: CardStatus | undefined;
}

/** An OpenID4VCI offer being received (issue 11): the issuer checked on the ledger, then the holder's code. */
export interface CredentialOfferState {
  readonly link: string;
  /** Set once the offer was read and its issuer checked (only then is the code asked for). */
  readonly opened: OpenedCredentialOffer | undefined;
  /** The offer can no longer be redeemed (used, expired, locked, or refused): no code form. */
  readonly closed: boolean;
}

/** A verifier's request on the consent screen, and how it ended. */
export interface RequestState {
  readonly view: RequestView | undefined;
  readonly preview: PreparePresentationReturnType | undefined;
  readonly outcome: VerificationOutcome | undefined;
  readonly declined: boolean;
}

export interface WalletState {
  /** Before the wallet is open, these screens stand in front of every route. */
  readonly phase: "loading" | "create" | "restore" | "unlock" | "open";
  readonly route: WalletRoute;
  readonly wallet: Wallet | undefined;
  readonly chainId: number | undefined;
  readonly cards: readonly CredentialDetails[];
  readonly statuses: ReadonlyMap<string, CardStatus>;
  readonly didQr: string | undefined;
  /** A link opened while the wallet was locked: handled once it opens. */
  readonly pending: WalletLink | undefined;
  readonly offer: OfferState | undefined;
  readonly credentialOffer: CredentialOfferState | undefined;
  readonly request: RequestState | undefined;
  readonly busy: string | undefined;
  /** Kept as a message key and parameters: drawn in the language on screen, and redrawn when it changes. */
  readonly error: UiError | undefined;
  readonly notice: string | undefined;
  /** The route whose screen shows `notice` next (a message that survives one navigation). */
  readonly noticeFor: WalletRoute["name"] | undefined;
  /** The device vault (SD-JWT VC copies, screen-lock unlock), open while the wallet is. */
  readonly vault: Vault | undefined;
  /** Cards held as SD-JWT VC copies, with copies left. */
  readonly sdCards: readonly SdJwtCard[];
  /** Issuers' registered names by DID (for cards held as SD-JWT VC copies). */
  readonly issuerNames: ReadonlyMap<string, string>;
  /** A consent screen waiting for the holder's answer. */
  readonly consent: ConsentState | undefined;
  /** Screen-lock unlock (WebAuthn PRF) is set up on this device. */
  readonly prfEnabled: boolean;
  /** An OpenID4VP request being answered (issue 11). */
  readonly vp: VpState | undefined;
  /** SD-JWT VC cards (batches) whose issuer gave a refresh grant: "get more copies" is possible. */
  readonly refreshable: ReadonlySet<string>;
}

export const INITIAL_WALLET_STATE: WalletState = {
  phase: "loading",
  route: { name: "cards" },
  wallet: undefined,
  chainId: undefined,
  cards: [],
  statuses: new Map(),
  didQr: undefined,
  pending: undefined,
  offer: undefined,
  credentialOffer: undefined,
  request: undefined,
  busy: undefined,
  error: undefined,
  notice: undefined,
  noticeFor: undefined,
  vault: undefined,
  sdCards: [],
  issuerNames: new Map(),
  consent: undefined,
  prfEnabled: false,
  vp: undefined,
  refreshable: new Set(),
};

/** Everything a screen or an action needs, injected once by `main.ts`. */
export interface WalletApp {
  readonly store: Store<WalletState>;
  readonly router: Router<WalletRoute>;
  readonly storage: WalletStorage;
  readonly checker: ReturnType<typeof createStatusChecker>;
  /** Holder keys (non-extractable `CryptoKey`s) and the sealed vault. */
  readonly device: DeviceDb;
}

/** Shows an error (the service's, or `message`) and ends any busy state. */
export function fail(app: WalletApp, e: unknown, error?: UiError): void {
  app.store.set({ busy: undefined, error: error ?? errorOf(e) });
}

/** Runs `task` with `message` on screen; a failure is shown and yields undefined. */
export async function busy<T>(app: WalletApp, message: string, task: () => Promise<T>): Promise<T | undefined> {
  app.store.set({ busy: message, error: undefined });
  // Let the browser paint the message before a long synchronous stretch (scrypt yields, but starts busy).
  await new Promise((r) => setTimeout(r, 30));
  try {
    return await task();
  } catch (e) {
    fail(app, e);
    return undefined;
  } finally {
    if (app.store.get().busy === message) app.store.set({ busy: undefined });
  }
}

/**
 * Opens a flow's screen (an offer, a request): a new history entry from the card list, in place of the current
 * entry otherwise (the scanner, or the link the wallet was opened with), so that back returns to the cards.
 */
export function openFlow(app: WalletApp, route: WalletRoute): void {
  if (app.router.current().name === "cards" && (location.hash === "" || location.hash.startsWith("#/"))) app.router.go(route);
  else app.router.replace(route);
}

/** Back to the card list, with `notice` shown there. */
export function toCards(app: WalletApp, notice?: string): void {
  app.store.set({ notice, noticeFor: notice === undefined ? undefined : "cards" });
  app.router.home({ name: "cards" });
}

export async function refreshCards(app: WalletApp): Promise<void> {
  const wallet = app.store.get().wallet;
  if (wallet === undefined) return;
  const summaries = await listCredentials({ wallet });
  app.store.set({ cards: await Promise.all(summaries.map((s) => showCredential({ wallet, id: s.id }))) });
  const vault = app.store.get().vault;
  if (vault !== undefined) {
    const sdCards = await listCards({ vault, chainId: wallet.chainId }).catch(() => []);
    app.store.set({ sdCards, refreshable: await refreshableBatches(vault).catch(() => new Set<string>()) });
    void issuerNamesOf(app, sdCards.map((c) => c.issuer));
  }
  void refreshStatuses(app);
}

/** Looks up issuers' registered names on the ledger (public party facts; offline, the name stays unknown). */
async function issuerNamesOf(app: WalletApp, dids: readonly string[]): Promise<void> {
  const names = await Promise.all(
    [...new Set(dids)].map(async (did) => {
      const parsed = parseEthrDid(did);
      if (parsed === undefined) return undefined;
      const party = await app.checker.party(parsed.address).catch(() => undefined);
      return party === undefined ? undefined : ([did, party.name] as const);
    }),
  );
  app.store.set((s) => ({ issuerNames: new Map([...s.issuerNames, ...names.filter((n) => n !== undefined)]) }));
}

/** Checks every card's status (against whole status lists, on the phone); `fresh` forgets cached lists first. */
export async function refreshStatuses(app: WalletApp, options: { readonly fresh?: boolean } = {}): Promise<void> {
  if (options.fresh === true) app.checker.clear();
  const cards = app.store.get().cards;
  const results = await Promise.all(
    cards.map(async (c) => [c.id, await app.checker.check(c).catch((): CardStatus => ({ state: "unknown" }))] as const),
  );
  // Cards held as SD-JWT VC copies: the same check, keyed by batch.
  const sdResults = await Promise.all(
    app.store.get().sdCards.map(
      async (c) => [c.batch, await sdJwtCardStatus({ card: c, party: app.checker.party, list: app.checker.list }).catch((): CardStatus => ({ state: "unknown" }))] as const,
    ),
  );
  // The last known statuses are kept sealed in the vault (readable only unlocked); without a vault, not kept.
  const vault = app.store.get().vault;
  const fresh = [...results, ...sdResults];
  const shown = vault === undefined ? fresh : await rememberStatuses({ vault, fresh, now: Math.floor(Date.now() / 1000), legacy: localStorage });
  if (app.store.get().vault !== vault) return; // locked meanwhile
  app.store.set((s) => ({ statuses: new Map([...s.statuses, ...shown]) }));
}
