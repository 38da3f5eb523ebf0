/**
 * "Hand over to the phone" (issue 11): the clerk fills the person's record (the agency's reference, the card's
 * items, a portrait) and the console creates an OpenID4VCI offer (`POST /issuers/:issuer/openid4vci/offers`, SD-JWT
 * VC copies, no DID needed), shows its QR code and the 6-digit code to say aloud, counts down to its expiry and
 * polls its status until the wallet has the card (then shows the card's id, what revocation takes).
 */
import QRCode from "qrcode";
import { type CredentialTypeInfo, type JsonSchema, api } from "../lib/api.ts";
import { formValues } from "../lib/dom.ts";
import { t } from "../lib/i18n.ts";
import { errorOf, uiError } from "../lib/uiError.ts";
import type { IssuerApp } from "./app.ts";
import { claimsFromValues } from "./schemaForm.ts";

/** Where a hand-over stands, as the console shows it (the service's offer states). */
export type HandoverState = "pending" | "redeemed" | "issued" | "expired" | "locked";

export interface Handover {
  readonly offerId: string;
  readonly offerUri: string;
  readonly txCode: string;
  readonly expiresAt: number;
  readonly qr: string;
  readonly state: HandoverState;
  /** The issued credential's id (all copies), once issued. */
  readonly credentialId: string | undefined;
}

/** Claims the issuer computes or the protocol fills: never typed by the clerk. */
const NOT_TYPED = /^(?:iss|iat|nbf|exp|vct|cnf|status|portrait|age_.*)$/;

/**
 * The file name of a type's SD-JWT VC schema, beside its JWT-VC schema (`student-id.v1.json` →
 * `student-id.sd-jwt-vc.v1.json`, as `GET /schemas/:file` serves them); `undefined` for another naming. Pure.
 *
 * @example
 * ```ts
 * sdJwtVcSchemaFile("https://mobile-id.example/schemas/student-id.v1.json") // "student-id.sd-jwt-vc.v1.json"
 * ```
 */
export function sdJwtVcSchemaFile(schemaUri: string): string | undefined {
  const m = /\/schemas\/([a-z0-9-]+)\.v([0-9]+)\.json$/.exec(schemaUri);
  return m === null ? undefined : `${m[1]}.sd-jwt-vc.v${m[2]}.json`;
}

/**
 * The form schema of a type's SD-JWT VC record: the personal claims of its SD-JWT VC schema, without the portrait
 * (chosen as a file) and the age claims (derived by the issuer from the birth date); required as in the type's
 * JWT-VC schema (the service checks the record against the SD-JWT VC profile again, authoritatively). Pure.
 *
 * @example
 * ```ts
 * handoverFormSchema(sdJwtVcSchema, type.schema).required // ["familyName", "givenName", "studentNumber", ...]
 * ```
 */
export function handoverFormSchema(sdJwtVcSchema: JsonSchema, jwtVcSchema: JsonSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, s] of Object.entries(sdJwtVcSchema.properties ?? {})) if (!NOT_TYPED.test(name)) properties[name] = s;
  return { type: "object", properties, required: (jwtVcSchema.required ?? []).filter((n) => n in properties) };
}

/** The longest `portrait` data URI the type's SD-JWT VC schema takes (its `maxLength`; 24 KB of JPEG). */
export function portraitLimit(sdJwtVcSchema: JsonSchema): number {
  return sdJwtVcSchema.properties?.["portrait"]?.maxLength ?? 0;
}

const schemas = new Map<string, Promise<{ form: JsonSchema; portraitMax: number } | undefined>>();

/** The hand-over form's schema for a type (its SD-JWT VC schema is read once per page from `/schemas/:file`). */
export function handoverSchema(type: CredentialTypeInfo): Promise<{ form: JsonSchema; portraitMax: number } | undefined> {
  const file = sdJwtVcSchemaFile(type.schemaUri);
  if (file === undefined) return Promise.resolve(undefined);
  let p = schemas.get(type.name);
  if (p === undefined) {
    p = api<JsonSchema>(`/schemas/${encodeURIComponent(file)}`).then((s) => ({ form: handoverFormSchema(s, type.schema), portraitMax: portraitLimit(s) }));
    p.catch(() => schemas.delete(type.name));
    schemas.set(type.name, p);
  }
  return p;
}

/**
 * A portrait from a photo file: cropped to 4:5 (192 × 240, an ID photo), re-encoded as JPEG with the quality lowered
 * until its data URI is at most `maxLength` characters; a `data:image/jpeg;base64,…` URI (what the SD-JWT VC
 * `portrait` holds).
 *
 * @example
 * ```ts
 * const portrait = await portraitFromFile(input.files[0], 32_792);
 * ```
 */
export async function portraitFromFile(file: Blob, maxLength: number): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const [w, h] = [192, 240];
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext("2d");
  if (context === null) throw new Error("no 2d canvas");
  const scale = Math.max(w / bitmap.width, h / bitmap.height);
  const [sw, sh] = [w / scale, h / scale];
  context.drawImage(bitmap, (bitmap.width - sw) / 2, (bitmap.height - sh) / 2, sw, sh, 0, 0, w, h);
  bitmap.close();
  for (let quality = 0.85; quality > 0.1; quality -= 0.1) {
    const uri = canvas.toDataURL("image/jpeg", quality);
    if (uri.startsWith("data:image/jpeg;base64,") && uri.length <= maxLength) return uri;
  }
  throw new Error("the portrait does not fit");
}

/** Reads a chosen photo into the draft (`portrait`), or shows why it could not be used next to the field. */
export async function choosePortrait(app: IssuerApp, file: File | undefined): Promise<void> {
  const type = app.store.get().types.find((x) => x.name === app.store.get().type);
  if (file === undefined || type === undefined) return;
  try {
    const limit = (await handoverSchema(type))?.portraitMax ?? 0;
    const portrait = await portraitFromFile(file, limit);
    app.store.set((s) => ({ draft: { ...s.draft, portrait }, error: s.error?.field === "claim:portrait" ? undefined : s.error }));
  } catch {
    app.store.set({ error: uiError("issuerPortraitBad", undefined, "claim:portrait") });
  }
}

let poller: ReturnType<typeof setTimeout> | undefined;

/** Stops polling the current hand-over (a new one, the next person, signing out). */
export function stopHandover(): void {
  if (poller !== undefined) clearTimeout(poller);
  poller = undefined;
}

function authed<T>(app: IssuerApp, path: string, body?: unknown): Promise<T> {
  const session = app.store.get().session;
  if (session === undefined) throw new Error("not signed in");
  return api<T>(`/issuers/${encodeURIComponent(session.agency)}${path}`, { apiKey: session.key, ...(body === undefined ? {} : { body }) });
}

/**
 * Creates the offer from the form: the reference and the items typed (what the clerk typed stays in the draft on
 * an error, shown next to its field), then shows the QR code and the code and starts polling.
 *
 * @example
 * ```ts
 * await createHandover(app, form);
 * ```
 */
export async function createHandover(app: IssuerApp, form: HTMLFormElement): Promise<void> {
  stopHandover();
  const s = app.store.get();
  const type = s.types.find((x) => x.name === s.type);
  if (type === undefined) return;
  const values = formValues(form);
  const reference = String(values["reference"] ?? "").trim();
  if (reference === "") {
    app.store.set({ error: uiError("issuerVciReferenceMissing", undefined, "reference"), handover: undefined });
    document.getElementById("issue-reference")?.focus();
    return;
  }
  app.store.set({ busy: t("issuerOfferCreating"), error: undefined, handover: undefined, offer: undefined });
  try {
    const schema = (await handoverSchema(type))?.form;
    if (schema === undefined) throw new Error(`no SD-JWT VC schema for ${type.name}`);
    const portrait = s.draft["portrait"];
    const claims = { ...claimsFromValues(schema, values), ...(typeof portrait === "string" && portrait !== "" ? { portrait } : {}) };
    const created = await authed<{ offerId: string; offerUri: string; txCode: string; expiresAt: number }>(app, "/openid4vci/offers", {
      credentialType: type.name,
      formats: ["dc+sd-jwt"],
      reference,
      claims,
    });
    const qr = await QRCode.toDataURL(created.offerUri, { errorCorrectionLevel: "M", margin: 2, scale: 8 });
    app.store.set({ busy: undefined, handover: { ...created, qr, state: "pending", credentialId: undefined } });
    document.getElementById("handover-heading")?.focus();
    schedulePoll(app, created.offerId);
  } catch (e) {
    app.store.set({ busy: undefined, error: errorOf(e) });
    document.getElementById("issue-error")?.focus();
  }
}

const POLL_MS = 1500;

function schedulePoll(app: IssuerApp, offerId: string): void {
  poller = setTimeout(() => void poll(app, offerId), POLL_MS);
}

/** Reads the offer's status; stops at a final state (issued, expired, locked). Network hiccups retry. */
async function poll(app: IssuerApp, offerId: string): Promise<void> {
  const current = app.store.get().handover;
  if (current?.offerId !== offerId) return;
  let state: HandoverState = current.state;
  let credentialId: string | undefined;
  try {
    const status = await authed<{ state: HandoverState; credentials?: Record<string, { id?: string }> }>(app, `/openid4vci/offers/${encodeURIComponent(offerId)}/status`);
    state = status.state;
    credentialId = status.credentials?.["dc+sd-jwt"]?.id;
  } catch {
    // try again at the next tick
  }
  // The service says "expired" only once asked after the expiry; the countdown reaching zero says it as well.
  if (state === "pending" && current.expiresAt <= Math.floor(Date.now() / 1000)) state = "expired";
  if (app.store.get().handover?.offerId !== offerId) return;
  const done = state === "issued" && credentialId !== undefined;
  app.store.set((s) => ({
    handover: s.handover === undefined ? undefined : { ...s.handover, state: state === "issued" && !done ? "redeemed" : state, credentialId },
    // The card is with its holder: the form is cleared for the next person (the type and the mode stay).
    ...(done ? { draft: { handover: "phone" } } : {}),
  }));
  if (done) document.getElementById("handover-done")?.focus();
  if (done || state === "expired" || state === "locked") return;
  schedulePoll(app, offerId);
}

/** The next person: the panel goes, the form is empty. */
export function nextPerson(app: IssuerApp): void {
  stopHandover();
  app.store.set({ handover: undefined, draft: { handover: "phone" }, error: undefined, notice: undefined });
  document.getElementById("issue-reference")?.focus();
}
