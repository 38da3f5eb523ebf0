/** What the console does: sign in with the agency's key, issue and hand over, search, change a credential's status. */
import QRCode from "qrcode";
import { type PartyFacts, api } from "../lib/api.ts";
import { formValues } from "../lib/dom.ts";
import { t } from "../lib/i18n.ts";
import { errorOf, uiError } from "../lib/uiError.ts";
import { credentialTypes } from "../lib/types.ts";
import { closeDialogFocus, openDialogFocus } from "../lib/dialog.ts";
import { type Action, type Agency, type HolderView, type IssuedRecord, type IssuerApp, actionKey, agencyOf } from "./app.ts";
import { claimsFromValues } from "./schemaForm.ts";
import { stopHandover } from "./handover.ts";

/** The key stays in this tab's sessionStorage only (gone when the tab closes). */
const SESSION_KEY = "mobile-id.issuer.session";

export function readSession(): { agency: string; key: string } | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw === null ? undefined : (JSON.parse(raw) as { agency: string; key: string });
  } catch {
    return undefined;
  }
}

export async function startIssuer(app: IssuerApp): Promise<void> {
  try {
    const [agencies, types] = await Promise.all([api<Agency[]>("/issuers"), credentialTypes()]);
    app.store.set({ agencies, types });
    const session = app.store.get().session;
    if (session !== undefined) await afterSignIn(app, session);
  } catch (e) {
    app.store.set({ error: errorOf(e) });
  }
}

export async function signIn(app: IssuerApp, form: HTMLFormElement): Promise<void> {
  const values = formValues(form);
  const session = { agency: String(values["agency"]), key: String(values["apiKey"]).trim() };
  app.store.set({ error: undefined });
  try {
    // Any authenticated read proves the key: 401 unknown key, 403 another agency's key.
    await api(`/issuers/${encodeURIComponent(session.agency)}/credentials?limit=1`, { apiKey: session.key });
  } catch (e) {
    const status = (e as { status?: number }).status;
    app.store.set({ error: status === 401 || status === 403 ? uiError("issuerBadKey", undefined, "apiKey") : errorOf(e) });
    document.getElementById("signin-key")?.focus();
    return;
  }
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  await afterSignIn(app, session);
}

export function signOut(app: IssuerApp): void {
  sessionStorage.removeItem(SESSION_KEY);
  stopHandover();
  app.store.set({
    session: undefined,
    offer: undefined,
    handover: undefined,
    party: undefined,
    draft: {},
    issued: [],
    holders: undefined,
    holderQuery: { reference: "", name: "" },
    pendingAction: undefined,
    error: undefined,
    notice: undefined,
  });
}

/** Reads the agency's standing, then shows the console (in one step, so the form opens on the right type). */
async function afterSignIn(app: IssuerApp, session: { readonly agency: string; readonly key: string }): Promise<void> {
  const a = agencyOf({ ...app.store.get(), session });
  if (a === undefined) return;
  let party: PartyFacts | undefined;
  try {
    party = await api<PartyFacts>(`/parties/${a.did.split(":").pop() ?? ""}`);
  } catch {
    party = undefined;
  }
  // Offer the types this agency is accredited for first; the service refuses the others anyway.
  const accredited = party?.standings.filter((s) => s.inForce).map((s) => s.type) ?? [];
  app.store.set((s) => ({ session, party, type: s.type ?? accredited[0] ?? s.types[0]?.name }));
  await search(app);
}

function authed<T>(app: IssuerApp, path: string, body?: unknown): Promise<T> {
  const session = app.store.get().session;
  if (session === undefined) throw new Error("not signed in");
  return api<T>(`/issuers/${encodeURIComponent(session.agency)}${path}`, { apiKey: session.key, ...(body === undefined ? {} : { body }) });
}

export async function issue(app: IssuerApp, form: HTMLFormElement): Promise<void> {
  const s = app.store.get();
  const type = s.types.find((x) => x.name === s.type);
  if (type === undefined) return;
  const values = formValues(form);
  const holder = String(values["holder"] ?? "").trim();
  const expiry = String(values["expiresAt"] ?? "");
  const claims = claimsFromValues(type.schema, values);
  app.store.set({ busy: t("issuerIssuing"), error: undefined, offer: undefined });
  try {
    const issued = await authed<{ jwt: string; id: string }>(app, "/credentials", {
      type: type.name,
      holder,
      claims,
      ...(expiry === "" ? {} : { expiresAt: Math.floor(new Date(`${expiry}T23:59:59`).getTime() / 1000) }),
    });
    const offer = await authed<{ walletUri: string; expiresAt: number }>(app, "/offers", { credential: issued.jwt });
    const qr = await QRCode.toDataURL(offer.walletUri, { errorCorrectionLevel: "M", margin: 2, scale: 6 });
    // Issued: the form is cleared for the next person (the type stays).
    app.store.set({ busy: undefined, draft: {}, offer: { walletUri: offer.walletUri, expiresAt: offer.expiresAt, credentialId: issued.id, qr } });
    document.getElementById("offer-heading")?.focus();
  } catch (e) {
    // What the clerk typed stays in the form (it is in the store's draft), to be corrected and sent again.
    app.store.set({ busy: undefined, error: errorOf(e) });
    document.getElementById("issue-error")?.focus();
  }
}

export async function search(app: IssuerApp, more = false): Promise<void> {
  const s = app.store.get();
  const params = new URLSearchParams({ limit: "25" });
  for (const [k, v] of Object.entries(s.filters)) if (v !== "") params.set(k, v);
  if (more && s.cursor !== undefined) params.set("cursor", s.cursor);
  try {
    const page = await authed<{ items: IssuedRecord[]; nextCursor?: string }>(app, `/credentials?${params.toString()}`);
    app.store.set((now) => ({ issued: more ? [...now.issued, ...page.items] : page.items, cursor: page.nextCursor }));
  } catch (e) {
    app.store.set({ error: errorOf(e) });
  }
}

/** Looks a person up in the agency's holder index by its reference and/or name (what the clerk typed stays). */
export async function findHolders(app: IssuerApp, form: HTMLFormElement): Promise<void> {
  const values = formValues(form);
  const query = { reference: String(values["reference"] ?? "").trim(), name: String(values["name"] ?? "").trim() };
  app.store.set({ holderQuery: query, error: undefined, notice: undefined });
  if (query.reference === "" && query.name === "") {
    app.store.set({ error: uiError("issuerFindEmpty", undefined, "reference"), holders: undefined });
    document.getElementById("find-reference")?.focus();
    return;
  }
  const params = new URLSearchParams();
  if (query.reference !== "") params.set("reference", query.reference);
  if (query.name !== "") params.set("name", query.name);
  app.store.set({ busy: t("issuerFinding") });
  try {
    const page = await authed<{ items: HolderView[] }>(app, `/holders?${params.toString()}`);
    app.store.set({ busy: undefined, holders: page.items });
    document.getElementById("find-results")?.focus();
  } catch (e) {
    app.store.set({ busy: undefined, error: errorOf(e) });
  }
}

/**
 * Opens the confirmation dialog of a status change, with whose card it is: the holder row given (find screen) or
 * looked up by the card's id (records list).
 */
export async function askStatusChange(app: IssuerApp, p: { id: string; action: Action; type: string; opener: string; holder?: HolderView }): Promise<void> {
  app.store.set({ pendingAction: { id: p.id, action: p.action, type: p.type, opener: p.opener, holder: p.holder }, error: undefined, notice: undefined });
  openDialogFocus("confirm-dialog", "confirm-reason");
  if (p.holder !== undefined) return;
  let holder: HolderView | null;
  try {
    const page = await authed<{ items: HolderView[] }>(app, `/holders?credential=${encodeURIComponent(p.id)}`);
    holder = page.items[0] ?? null;
  } catch {
    holder = null;
  }
  app.store.set((s) => (s.pendingAction?.id === p.id ? { pendingAction: { ...s.pendingAction, holder } } : {}));
}

/** Closes the confirmation dialog without acting; the focus returns to the button that opened it. */
export function cancelStatusChange(app: IssuerApp): void {
  const opener = app.store.get().pendingAction?.opener;
  app.store.set({ pendingAction: undefined });
  closeDialogFocus(opener);
}

export async function changeStatus(app: IssuerApp, id: string, action: Action, reason: string): Promise<void> {
  const opener = app.store.get().pendingAction?.opener;
  app.store.set({ busy: t(actionKey(action)), error: undefined, notice: undefined });
  try {
    const result = await authed<{ changed: string[]; transactions: { txHash: string }[] }>(app, "/credentials/status", { action, ids: [id], reason });
    // No transaction hash or block number on a clerk's screen: the auditor keeps those.
    const notice = result.changed.length === 0 ? t("issuerUnchanged") : t("issuerDoneNoTx", { action: t(actionKey(action)) });
    app.store.set({ notice, pendingAction: undefined });
    if (app.store.get().route.name === "find") await refreshHolders(app);
    else await search(app);
  } catch (e) {
    app.store.set({ error: errorOf(e), pendingAction: undefined });
  }
  app.store.set({ busy: undefined });
  closeDialogFocus(opener, "list-notice");
  // The outcome is announced by the notice (role=status/alert) next to the list.
}

/** Reads the find screen's results again (after a status change), with the same query. */
async function refreshHolders(app: IssuerApp): Promise<void> {
  const q = app.store.get().holderQuery;
  const params = new URLSearchParams();
  if (q.reference !== "") params.set("reference", q.reference);
  if (q.name !== "") params.set("name", q.name);
  if ([...params.keys()].length === 0) return;
  const page = await authed<{ items: HolderView[] }>(app, `/holders?${params.toString()}`);
  app.store.set({ holders: page.items });
}
