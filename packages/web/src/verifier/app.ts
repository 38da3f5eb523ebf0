/**
 * The counter's state and what it does: make a request, poll for its outcome (with the counter's token: only this
 * page may read it), and name the issuers of what was shared. One store; every change redraws.
 */
import { type CredentialTypeInfo, type PartyFacts, type RequestView, api } from "../lib/api.ts";
import { pick, t } from "../lib/i18n.ts";
import { describeError } from "../lib/layout.ts";
import { type Store, createStore } from "../lib/store.ts";
import { credentialTypes } from "../lib/types.ts";

export interface VerifierState {
  readonly types: readonly CredentialTypeInfo[];
  /** The accepted types, as ticked (kept as they are ticked, so a redraw never unticks one). */
  readonly selected: ReadonlySet<string>;
  readonly request: RequestView | undefined;
  readonly issuerNames: ReadonlyMap<string, string>;
  readonly error: string | undefined;
  readonly notice: string | undefined;
  /** Seconds since the epoch, for the countdown. */
  readonly now: number;
}

const POLL_MS = 1000;

export const store: Store<VerifierState> = createStore<VerifierState>({
  types: [],
  selected: new Set(["StudentIDCredential"]),
  request: undefined,
  issuerNames: new Map(),
  error: undefined,
  notice: undefined,
  now: Math.floor(Date.now() / 1000),
});

let timer: ReturnType<typeof setInterval> | undefined;
/** The current request's counter token: only this page may read the outcome (the QR code carries only the id). */
let counterToken: string | undefined;

export async function startVerifier(): Promise<void> {
  try {
    store.set({ types: await credentialTypes() });
  } catch (e) {
    store.set({ error: describeError(e) });
  }
  // Keep the countdown moving while waiting (a redraw changes only its text: focus and the QR image stay put).
  setInterval(() => {
    if (store.get().request?.state === "pending") store.set({ now: Math.floor(Date.now() / 1000) });
  }, 1000);
}

export async function createRequest(types: readonly string[]): Promise<void> {
  if (types.length === 0) return store.set({ error: t("verifierPickOne") });
  stopPolling();
  store.set({ error: undefined });
  try {
    const request = await api<RequestView>("/verifier/requests", { body: { credentialTypes: types } });
    counterToken = request.counterToken;
    store.set({ request, notice: undefined, now: Math.floor(Date.now() / 1000) });
    timer = setInterval(() => void poll(request.id), POLL_MS);
  } catch (e) {
    store.set({ error: describeError(e) });
  }
}

/** Back to choosing the accepted types. */
export function closeRequest(): void {
  stopPolling();
  store.set({ request: undefined, notice: undefined });
}

function stopPolling(): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
}

async function poll(id: string): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const current = store.get().request;
  if (current === undefined || current.id !== id) return stopPolling();
  if (now >= current.request.expiresAt) {
    stopPolling();
    return store.set({ now });
  }
  try {
    const next = await api<RequestView>(`/verifier/requests/${id}`, counterToken === undefined ? {} : { apiKey: counterToken });
    // The service hands an outcome out once, then erases it: a slower poll that overlapped the one that got it
    // must not replace the result with the bare state.
    const shown = store.get().request;
    if (shown?.id !== id || shown.state !== "pending") return;
    if (next.state !== "pending") stopPolling();
    // The result appears in one step, with the issuers' names as recorded on the ledger.
    const issuerNames = next.state === "pending" ? store.get().issuerNames : await loadIssuerNames(next);
    if (store.get().request?.id === id) store.set({ request: next, issuerNames, now });
  } catch {
    // a missed poll is retried on the next tick
  }
}

async function loadIssuerNames(r: RequestView): Promise<ReadonlyMap<string, string>> {
  const names = new Map(store.get().issuerNames);
  for (const c of r.outcome?.credentials ?? []) {
    if (names.has(c.issuer)) continue;
    try {
      names.set(c.issuer, (await api<PartyFacts>(`/parties/${c.issuer.split(":").pop() ?? ""}`)).name);
    } catch {
      names.set(c.issuer, c.issuer);
    }
  }
  return names;
}

/** A type's title in the current language. */
export function typeTitle(s: VerifierState, name: string): string {
  return pick(s.types.find((x) => x.name === name)?.title, name);
}
