import { MobileIdError } from "../errors.ts";
import type { CredentialFormat, PresentationFormat } from "./types.ts";

/** The formats an actor understands, looked up by name (to build) or by the raw value (to parse). */
export interface FormatRegistry {
  /** In registration order; `credentialFor` tries them in this order. */
  readonly credentialFormats: readonly CredentialFormat[];
  readonly presentationFormats: readonly PresentationFormat[];
  /** The credential format named `format`; throws `FORMAT_UNKNOWN` if none is registered. */
  credential(format: string): CredentialFormat;
  presentation(format: string): PresentationFormat;
  /** The first credential format that accepts `raw`, if any (cheap: no decoding beyond `accepts`). */
  credentialFor(raw: unknown): CredentialFormat | undefined;
  presentationFor(raw: unknown): PresentationFormat | undefined;
}

export interface CreateFormatRegistryParameters {
  readonly credentialFormats: readonly CredentialFormat[];
  readonly presentationFormats: readonly PresentationFormat[];
}

/**
 * A registry of format modules. Adding a format is one module (a {@link CredentialFormat} and, if it has its own
 * presentation encoding, a {@link PresentationFormat}) and one entry here; `defaultFormats` of each core entry
 * lists today's. Names must be unique (`INVALID_ARGUMENT` otherwise); order decides which format's `accepts` is
 * asked first, so a format whose encoding is a prefix of another's goes after it.
 *
 * @example
 * ```ts
 * const formats = createFormatRegistry({
 *   credentialFormats: [jwtVcFormat, sdJwtVcFormat],
 *   presentationFormats: [jwtVpFormat, sdJwtVcPresentationFormat],
 * });
 * const jwt = await formats.credential("jwt-vc").sign(formats.credential("jwt-vc").build(draft), signer);
 * ```
 */
export function createFormatRegistry(params: CreateFormatRegistryParameters): FormatRegistry {
  const credentials = byName(params.credentialFormats, "credential");
  const presentations = byName(params.presentationFormats, "presentation");
  const credentialFormats = Object.freeze([...params.credentialFormats]);
  const presentationFormats = Object.freeze([...params.presentationFormats]);
  return {
    credentialFormats,
    presentationFormats,
    credential: (format) => lookUp(credentials, format, "credential"),
    presentation: (format) => lookUp(presentations, format, "presentation"),
    credentialFor: (raw) => credentialFormats.find((f) => f.accepts(raw)),
    presentationFor: (raw) => presentationFormats.find((f) => f.accepts(raw)),
  };
}

function byName<T extends { readonly format: string }>(formats: readonly T[], kind: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const f of formats) {
    if (map.has(f.format)) throw new MobileIdError("INVALID_ARGUMENT", `two ${kind} formats are named ${f.format}`, { details: { format: f.format } });
    map.set(f.format, f);
  }
  return map;
}

function lookUp<T>(map: Map<string, T>, format: string, kind: string): T {
  const f = map.get(format);
  if (f === undefined) {
    throw new MobileIdError("FORMAT_UNKNOWN", `no ${kind} format named ${JSON.stringify(format)} is registered`, {
      details: { format, registered: [...map.keys()] },
    });
  }
  return f;
}
