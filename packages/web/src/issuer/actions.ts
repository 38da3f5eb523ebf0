/** What the console does: sign in with the agency's key, issue and hand over, search, change a credential's status. */
import QRCode from "qrcode";
import { type PartyFacts, api } from "../lib/api.ts";
import { formValues } from "../lib/dom.ts";
import { t } from "../lib/i18n.ts";
import { errorOf, uiError } from "../lib/uiError.ts";
import { credentialTypes } from "../lib/types.ts";
import { type Action, type Agency, type IssuedRecord, type IssuerApp, actionKey, agencyOf } from "./app.ts";
import { claimsFromValues } from "./schemaForm.ts";

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
  app.store.set({ session: undefined, offer: undefined, party: undefined, draft: {}, issued: [], error: undefined, notice: undefined });
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

export async function changeStatus(app: IssuerApp, id: string, action: Action, reason: string): Promise<void> {
  app.store.set({ busy: t(actionKey(action)), error: undefined, notice: undefined });
  try {
    const result = await authed<{ changed: string[]; transactions: { txHash: string }[] }>(app, "/credentials/status", { action, ids: [id], reason });
    const notice = result.changed.length === 0 ? t("issuerUnchanged") : t("issuerDone", { action: t(actionKey(action)), tx: `${result.transactions[0]?.txHash.slice(0, 12) ?? ""}…` });
    app.store.set({ notice, pendingAction: undefined });
    await search(app);
  } catch (e) {
    app.store.set({ error: errorOf(e) });
  }
  app.store.set({ busy: undefined });
  document.getElementById("list-notice")?.focus();
}
