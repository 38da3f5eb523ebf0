/**
 * The counter's state and what it does: make an OpenID4VP request for the template's DCQL query, poll for its
 * outcome (with the counter's token: only this page may read it), and name the issuers of what was shared. One
 * store; every change redraws.
 */
import { type CredentialTypeInfo, type PartyFacts, api } from "../lib/api.ts";
import { pick } from "../lib/i18n.ts";
import { type UiError, errorOf, uiError } from "../lib/uiError.ts";
import { type Store, createStore } from "../lib/store.ts";
import { credentialTypes } from "../lib/types.ts";
import { type Openid4vpRequestView, type Openid4vpResult, createOpenid4vpRequest, isWaiting, readOpenid4vpResult } from "./openid4vpApi.ts";
import { type TemplateId, clearSeconds, dcqlQueryFor, templateTypes } from "./templates.ts";

/** The request on screen and its latest state (the outcome, once it came). */
export interface CounterRequest {
  readonly view: Openid4vpRequestView;
  /** The accepted types (any one of them answers). */
  readonly types: readonly string[];
  readonly result: Openid4vpResult;
}

export interface VerifierState {
  readonly types: readonly CredentialTypeInfo[];
  /** The accepted types, as ticked (kept as they are ticked, so a redraw never unticks one). */
  readonly selected: ReadonlySet<string>;
  readonly request: CounterRequest | undefined;
  readonly issuerNames: ReadonlyMap<string, string>;
  /** Kept as a message key and parameters: drawn in the clerk's language. */
  readonly error: UiError | undefined;
  readonly notice: string | undefined;
  /** Seconds since the epoch, for the countdown. */
  readonly now: number;
  /** What the clerk asks for. */
  readonly template: TemplateId;
  /** When the result on screen is wiped and a new request made (seconds since the epoch). */
  readonly clearAt: number | undefined;
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
  template: "student",
  clearAt: undefined,
});

let timer: ReturnType<typeof setInterval> | undefined;

/** Whether the request on screen still waits for the holder. */
export function waiting(s: VerifierState = store.get()): boolean {
  return s.request !== undefined && isWaiting(s.request.result.state);
}

export async function startVerifier(): Promise<void> {
  try {
    store.set({ types: await credentialTypes() });
  } catch (e) {
    store.set({ error: errorOf(e) });
  }
  // Keep the countdowns moving (a redraw changes only their text: focus and the QR image stay put); a result is
  // wiped when its time is up and a new request is made for the next person.
  setInterval(() => {
    const s = store.get();
    if (s.request === undefined) return;
    const now = Math.floor(Date.now() / 1000);
    if (s.clearAt !== undefined && now >= s.clearAt) void nextPerson();
    else if (waiting(s) || s.clearAt !== undefined) store.set({ now });
  }, 1000);
}

/** The accepted types of the chosen template (the ticked ones for `custom`). */
export function currentTypes(s: VerifierState = store.get()): readonly string[] {
  return templateTypes(s.template, [...s.selected]);
}

/** Wipes the result (no person's data stays on screen) and shows a new QR code for the same question. */
export async function nextPerson(): Promise<void> {
  stopPolling();
  store.set({ request: undefined, issuerNames: new Map(), clearAt: undefined, notice: undefined });
  await createRequest();
}

/** Makes a request for the chosen template and starts polling for its outcome. */
export async function createRequest(): Promise<void> {
  const s = store.get();
  const types = currentTypes(s);
  if (types.length === 0) return store.set({ error: uiError("verifierPickOne", undefined, "types") });
  stopPolling();
  store.set({ error: undefined, clearAt: undefined });
  try {
    const view = await createOpenid4vpRequest(dcqlQueryFor(s.template, types));
    const result: Openid4vpResult = { id: view.id, state: "pending", expiresAt: view.expiresAt };
    store.set({ request: { view, types, result }, issuerNames: new Map(), notice: undefined, now: Math.floor(Date.now() / 1000) });
    timer = setInterval(() => void poll(view), POLL_MS);
  } catch (e) {
    store.set({ error: errorOf(e) });
  }
}

/** Back to choosing the template. */
export function closeRequest(): void {
  stopPolling();
  store.set({ request: undefined, notice: undefined, clearAt: undefined, issuerNames: new Map() });
}

function stopPolling(): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
}

async function poll(view: Openid4vpRequestView): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const current = store.get().request;
  if (current === undefined || current.view.id !== view.id) return stopPolling();
  if (now >= view.expiresAt) {
    stopPolling();
    return store.set({ now, request: { ...current, result: { ...current.result, state: "expired" } } });
  }
  try {
    const next = await readOpenid4vpResult(view.id, view.counterToken);
    // The service hands an outcome out once, then erases it: a slower poll that overlapped the one that got it
    // must not replace the result with the bare state.
    const shown = store.get().request;
    if (shown?.view.id !== view.id || !isWaiting(shown.result.state)) return;
    if (isWaiting(next.state)) {
      if (next.state !== shown.result.state) store.set({ request: { ...shown, result: next }, now });
      return;
    }
    stopPolling();
    // The result appears in one step, with the issuers' names as recorded on the ledger.
    const issuerNames = await loadIssuerNames(next);
    const clearAt = now + clearSeconds(localStorage);
    if (store.get().request?.view.id === view.id) store.set({ request: { ...shown, result: next }, issuerNames, now, clearAt });
  } catch {
    // a missed poll is retried on the next tick
  }
}

async function loadIssuerNames(r: Openid4vpResult): Promise<ReadonlyMap<string, string>> {
  const names = new Map(store.get().issuerNames);
  const credentials = r.outcome === undefined || r.outcome.declined ? [] : r.outcome.credentials;
  for (const c of credentials) {
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
