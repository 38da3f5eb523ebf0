/**
 * What a clerk asks for, in the clerk's words, as an OpenID4VP DCQL query (issue 11): per template the card types
 * that answer (any one of them: a DCQL `credential_sets` option each) and exactly the claims asked for, as SD-JWT VC
 * claim paths, so that the holder's wallet discloses only those. Pure: no DOM, no clock of its own.
 */
/** SD-JWT VC type URN (core's `vctOf`; written out here so the counter's bundle needs none of the SD-JWT code). */
const vctOf = (type: string, version: number) => `urn:mobile-id:vct:${type}:${version}`;

export type TemplateId = "age19" | "student" | "identity" | "custom";

/** A claim path as DCQL writes it for `dc+sd-jwt` (`["age_equal_or_over", "19"]`, `["portrait"]`). */
export type ClaimPath = readonly string[];

export interface RequestTemplate {
  readonly id: TemplateId;
  /** The accepted types: any one of them answers the request. Empty for `custom` (the clerk ticks them). */
  readonly types: readonly string[];
  /** The claims asked for (the same for every accepted type). */
  readonly claims: readonly ClaimPath[];
}

const NAME: readonly ClaimPath[] = [["familyName"], ["givenName"]];

/** The templates, in the order the counter offers them. */
export const TEMPLATES: readonly RequestTemplate[] = [
  // A resident ID or a driver's licence answers "19 or older" with the issuer's yes or no, and nothing else: no
  // name, no birth date.
  { id: "age19", types: ["DriversLicenseCredential", "ResidentIDCredential"], claims: [["age_equal_or_over", "19"]] },
  { id: "student", types: ["StudentIDCredential"], claims: [...NAME, ["portrait"], ["institution"], ["enrollmentStatus"]] },
  { id: "identity", types: ["ResidentIDCredential", "DriversLicenseCredential"], claims: [...NAME, ["birthDate"], ["portrait"]] },
  // The ticked types, any one of them, with the holder's name and photo.
  { id: "custom", types: [], claims: [...NAME, ["portrait"]] },
];

/** Short DCQL credential query ids per type (the `vp_token` keys). */
const QUERY_IDS: Readonly<Record<string, string>> = {
  DriversLicenseCredential: "licence",
  ResidentIDCredential: "resident",
  StudentIDCredential: "student",
  CivilServantIDCredential: "civil",
};

/** The DCQL query the counter sends (`POST /verifier/openid4vp/requests`). */
export interface DcqlQueryBody {
  readonly credentials: readonly {
    readonly id: string;
    readonly format: "dc+sd-jwt";
    readonly meta: { readonly vct_values: readonly string[] };
    readonly claims: readonly { readonly path: ClaimPath }[];
  }[];
  readonly credential_sets?: readonly { readonly options: readonly (readonly string[])[] }[];
}

/** The accepted types of a template (`custom`: the ticked ones, in the order given). */
export function templateTypes(id: TemplateId, ticked: readonly string[]): readonly string[] {
  const template = TEMPLATES.find((x) => x.id === id);
  return template === undefined || template.id === "custom" ? [...ticked] : [...template.types];
}

/**
 * The DCQL query of a template: one SD-JWT VC credential query per accepted type, each asking only the template's
 * claims; several types are alternatives (`credential_sets`: any one of them answers).
 *
 * @example
 * ```ts
 * dcqlQueryFor("age19", []);
 * // { credentials: [{ id: "licence", format: "dc+sd-jwt", meta: { vct_values: ["urn:mobile-id:vct:DriversLicenseCredential:1"] },
 * //   claims: [{ path: ["age_equal_or_over", "19"] }] }, { id: "resident", … }], credential_sets: [{ options: [["licence"], ["resident"]] }] }
 * ```
 */
export function dcqlQueryFor(id: TemplateId, ticked: readonly string[]): DcqlQueryBody {
  const claims = (TEMPLATES.find((x) => x.id === id) ?? (TEMPLATES[0] as RequestTemplate)).claims;
  const credentials = templateTypes(id, ticked).map((type) => ({
    id: QUERY_IDS[type] ?? type.replace(/Credential$/, "").toLowerCase(),
    format: "dc+sd-jwt" as const,
    meta: { vct_values: [vctOf(type, 1)] },
    claims: claims.map((path) => ({ path })),
  }));
  return credentials.length > 1 ? { credentials, credential_sets: [{ options: credentials.map((c) => [c.id]) }] } : { credentials };
}

/**
 * The answer to "19 or older" in a verified credential's claims (the issuer's `age_equal_or_over.19`), or
 * `undefined` when the credential does not say.
 *
 * @example
 * ```ts
 * ageOver19({ age_equal_or_over: { "19": true } }); // true
 * ```
 */
export function ageOver19(claims: Readonly<Record<string, unknown>>): boolean | undefined {
  const ages = claims["age_equal_or_over"];
  const answer = ages !== null && typeof ages === "object" ? (ages as Record<string, unknown>)["19"] : undefined;
  return typeof answer === "boolean" ? answer : undefined;
}

/** The claims the result lists in words (the portrait is drawn on its own, the age answer too), in the card's order. */
export function shownClaims(claims: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(claims).filter(([k]) => k !== "id" && k !== "portrait" && k !== "age_equal_or_over");
}

/** How long a result stays on the counter's screen (seconds), unless the counter chose otherwise. */
export const DEFAULT_CLEAR_SECONDS = 30;
const CLEAR_KEY = "mobile-id.counter.clear-seconds";

/** The counter's chosen result time (seconds, 1 to 600 as stored; else 30). */
export function clearSeconds(storage: { getItem(key: string): string | null }): number {
  let raw: string | null = null;
  try {
    raw = storage.getItem(CLEAR_KEY);
  } catch {
    // no storage: the default
  }
  const n = Number(raw);
  return raw !== null && Number.isInteger(n) && n >= 1 && n <= 600 ? n : DEFAULT_CLEAR_SECONDS;
}

/** Stores the counter's result time (seconds, 1 to 600). */
export function setClearSeconds(storage: { setItem(key: string, value: string): void }, seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) throw new RangeError("result time must be 1 to 600 seconds");
  storage.setItem(CLEAR_KEY, String(seconds));
}
