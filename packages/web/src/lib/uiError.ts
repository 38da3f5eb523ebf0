/**
 * Errors as the pages keep them: a message key and its parameters (and the form field it is about), never text.
 * They are put into words when drawn, so a language switch redraws them in the new language, and an error about a
 * field is shown next to that field. Service errors are mapped from their stable codes; an unknown code still
 * gets a sentence (with the code, and the service's own English message in the English interface only).
 */
import { type MessageKey, lang, t } from "./i18n.ts";
import { verificationSentence } from "./words.ts";

export interface UiError {
  readonly key: MessageKey;
  readonly vars?: Readonly<Record<string, string | number>>;
  /** The form control the error is about (its `name`; claims as `claim:<name>`). */
  readonly field?: string;
  /** A verification code, put into words as the `{reason}` parameter when drawn. */
  readonly reasonCode?: string;
}

/** An error of the interface's own (a check before anything is sent). */
export function uiError(key: MessageKey, vars?: Readonly<Record<string, string | number>>, field?: string): UiError {
  return { key, ...(vars === undefined ? {} : { vars }), ...(field === undefined ? {} : { field }) };
}

/** Service codes with their own sentence. */
const CODES: Readonly<Record<string, MessageKey>> = {
  NETWORK_ERROR: "networkError",
  HOLDER_DID_INVALID: "errHolderDid",
  CLAIMS_INVALID: "errClaims",
  INVALID_TEXT: "errInvalidText",
  ISSUER_NOT_IN_FORCE: "issuerNotInForce",
  LEDGER_UNAVAILABLE: "errLedgerUnavailable",
  RATE_LIMITED: "errBusy",
  UNAUTHORIZED: "issuerBadKey",
  FORBIDDEN: "issuerBadKey",
};

/** The claim a service error names (`details.errors: ["/studentNumber must match …"]` or `details.path: "/claims/x"`). */
function claimField(details: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const path = typeof details?.["path"] === "string" ? details["path"] : Array.isArray(details?.["errors"]) && typeof details["errors"][0] === "string" ? details["errors"][0] : undefined;
  const m = path === undefined ? null : /^\/(?:claims\/)?([A-Za-z][A-Za-z0-9]*)/.exec(path);
  return m === null ? undefined : `claim:${m[1]}`;
}

/**
 * The `UiError` of anything thrown: an `ApiError` by its code (and, where the service says which, the field), a
 * network failure, or a generic one.
 *
 * @example
 * ```ts
 * errorOf(new ApiError(400, "HOLDER_DID_INVALID", "…")); // { key: "errHolderDid", vars: { code: "HOLDER_DID_INVALID" }, field: "holder" }
 * ```
 */
export function errorOf(e: unknown): UiError {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string") return { key: "errUnknown", vars: { code: "—", detail: e instanceof Error ? e.message : "" } };
  const details = (e as { details?: Readonly<Record<string, unknown>> }).details;
  const detail = e instanceof Error ? e.message : "";
  const vars = { code, detail };
  if (code === "INVALID_ARGUMENT" && details !== undefined && "expiresAt" in details) return { key: "errExpires", vars, field: "expiresAt" };
  const key = CODES[code];
  if (key === undefined) return { key: "errUnknown", vars };
  if (code === "HOLDER_DID_INVALID") return { key, vars, field: "holder" };
  const field = code === "CLAIMS_INVALID" || code === "INVALID_TEXT" ? claimField(details) : undefined;
  return field === undefined ? { key, vars } : { key, vars, field };
}

/** The error in the current language. */
export function errorText(error: UiError): string {
  return t(error.key, error.reasonCode === undefined ? error.vars : { ...error.vars, reason: verificationSentence(error.reasonCode, lang()) });
}
