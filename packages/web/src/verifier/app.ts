/**
 * The counter's state and what it does: make a request, poll for its outcome (with the counter's token: only this
 * page may read it), and name the issuers of what was shared. One store; every change redraws.
 */
import { type CredentialTypeInfo, type PartyFacts, type RequestView, api } from "../lib/api.ts";
import { pick } from "../lib/i18n.ts";
import { type UiError, errorOf, uiError } from "../lib/uiError.ts";
import { type Store, createStore } from "../lib/store.ts";
import { credentialTypes } from "../lib/types.ts";
import { type TemplateId, clearSeconds, requestBody } from "./templates.ts";

export interface VerifierState {
  readonly types: readonly CredentialTypeInfo[];
  /** The accepted types, as ticked (kept as they are ticked, so a redraw never unticks one). */
  readonly selected: ReadonlySet<string>;
  readonly request: RequestView | undefined;
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
/** The current request's counter token: only this page may read the outcome (the QR code carries only the id). */
let counterToken: string | undefined;

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
    else if (s.request.state === "pending" || s.clearAt !== undefined) store.set({ now });
  }, 1000);
}

/** The accepted types of the chosen template (the ticked ones for `custom`). */
export function currentTypes(s: VerifierState = store.get()): readonly string[] {
  return requestBody(s.template, [...s.selected]).credentialTypes;
}

/** Wipes the result (no person's data stays on screen) and shows a new QR code for the same question. */
export async function nextPerson(): Promise<void> {
  stopPolling();
  store.set({ request: undefined, issuerNames: new Map(), clearAt: undefined, notice: undefined });
  await createRequest(currentTypes());
}

export async function createRequest(types: readonly string[]): Promise<void> {
  if (types.length === 0) return store.set({ error: uiError("verifierPickOne", undefined, "types") });
  stopPolling();
  store.set({ error: undefined, clearAt: undefined });
  try {
    const request = await api<RequestView>("/verifier/requests", { body: { credentialTypes: types } });
    counterToken = request.counterToken;
    store.set({ request, issuerNames: new Map(), notice: undefined, now: Math.floor(Date.now() / 1000) });
    timer = setInterval(() => void poll(request.id), POLL_MS);
  } catch (e) {
    store.set({ error: errorOf(e) });
  }
}

/** Back to choosing the accepted types. */
export function closeRequest(): void {
  stopPolling();
  store.set({ request: undefined, notice: undefined, clearAt: undefined, issuerNames: new Map() });
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
    const clearAt = next.state === "pending" ? undefined : now + clearSeconds(localStorage);
    if (store.get().request?.id === id) store.set({ request: next, issuerNames, now, clearAt });
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
