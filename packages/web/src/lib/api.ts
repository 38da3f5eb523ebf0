/** JSON over fetch against the services on this origin, with their error bodies turned into `ApiError`s. */

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  /** The service's stable error code (`{ error: { code } }`), or `NETWORK_ERROR` when nothing answered. */
  readonly code: string;
  readonly hint: string | undefined;
  /** The service's `error.details` (which field, which rule), when it sent them. */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(status: number, code: string, message: string, hint?: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.status = status;
    this.code = code;
    this.hint = hint;
    this.details = details;
  }
}

export interface ApiOptions {
  readonly method?: "GET" | "POST";
  readonly body?: unknown;
  /** A bearer token: an agency's API key (issuer routes) or a verifier counter's token (its request's outcome). */
  readonly apiKey?: string;
  readonly signal?: AbortSignal;
}

/**
 * Calls `path` (same origin, or an absolute URL) and returns the parsed JSON.
 *
 * @example
 * ```ts
 * const types = await api<CredentialTypeInfo[]>("/credential-types");
 * ```
 */
export async function api<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.apiKey !== undefined) headers["authorization"] = `Bearer ${options.apiKey}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      cache: "no-store",
      credentials: "omit",
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "NETWORK_ERROR", e instanceof Error ? e.message : "network error");
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: unknown; message?: unknown; hint?: unknown; details?: unknown } } | undefined)?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === "string" ? error.code : `HTTP_${response.status}`,
      typeof error?.message === "string" ? error.message : response.statusText,
      typeof error?.hint === "string" ? error.hint : undefined,
      typeof error?.details === "object" && error.details !== null && !Array.isArray(error.details) ? (error.details as Record<string, unknown>) : undefined,
    );
  }
  return json as T;
}

/** What `GET /credential-types` answers. */
export interface CredentialTypeInfo {
  readonly name: string;
  readonly version: number;
  readonly title: { readonly en: string; readonly ko: string };
  readonly schemaUri: string;
  readonly schema: JsonSchema;
}

/** The parts of JSON Schema 2020-12 the credential schemas use. */
export interface JsonSchema {
  readonly type?: string;
  readonly title?: string;
  readonly description?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
  readonly enum?: readonly (string | number)[];
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
}

/** What `GET /parties/:address` answers. */
export interface PartyFacts {
  readonly identity: string;
  readonly did: string;
  readonly name: string;
  readonly role: string;
  readonly keys: {
    readonly owner: string;
    readonly deactivated: boolean;
    readonly delegates: readonly { readonly delegateType: string; readonly delegate: string; readonly validTo: string }[];
    /** ERC-1056 public-key attributes (`did/pub/…`, hex value); absent from services older than the wallet. */
    readonly attributes?: readonly { readonly name: string; readonly value: string; readonly validTo: string }[];
  };
  readonly standings: readonly {
    readonly type: string;
    readonly inForce: boolean;
    readonly status: string;
    readonly accreditorStatus: string;
    readonly validFrom: number;
    readonly validUntil: number;
  }[];
  readonly ledger: { readonly blockNumber: number; readonly timestamp: number };
}

/** What `GET /status-lists/:id` answers. */
export interface StatusListFacts {
  readonly listId: string;
  readonly issuer: string;
  readonly purpose: "revocation" | "suspension" | "none";
  readonly size: number;
  readonly bits: string;
  readonly ledger: { readonly blockNumber: number; readonly timestamp: number };
}

/** A verification outcome as the verifier API returns it. */
export interface VerificationOutcome {
  readonly verified: boolean;
  readonly code?: string;
  readonly checks: readonly { readonly check: string; readonly passed: boolean; readonly code?: string; readonly message?: string }[];
  readonly ledger?: { readonly blockNumber: number; readonly timestamp: number };
  /** The ledger state the answer rests on: its newest block when last confirmed (`checkedAt`, seconds). */
  readonly ledgerAsOf?: { readonly blockNumber: number; readonly blockHash: string; readonly blockTimestamp: number; readonly checkedAt: number };
  readonly holder?: string;
  readonly credentials?: readonly {
    readonly type: string;
    readonly issuer: string;
    readonly subject: string;
    readonly claims: Readonly<Record<string, unknown>>;
    readonly validFrom: number;
    readonly validUntil: number;
  }[];
}

/** A presentation request as the verifier API returns it. */
export interface RequestView {
  readonly id: string;
  readonly request: {
    readonly type: string;
    readonly challenge: string;
    readonly domain: string;
    readonly credentialTypes: readonly string[];
    readonly expiresAt: number;
  };
  readonly requestUri: string;
  readonly responseUri: string;
  readonly qrCodeUri: string;
  readonly state: "pending" | "verified" | "rejected";
  /** Failed answers so far; after the service's cap the request is `closed`. */
  readonly failedAnswers?: number;
  readonly closed?: boolean;
  /** Only in the creation answer: lets this counter read the outcome (sent as a bearer token). */
  readonly counterToken?: string;
  /** Only for the counter (with its token), and only once: the service then erases it. */
  readonly outcome?: VerificationOutcome;
}
