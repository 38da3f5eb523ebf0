import { MobileIdError } from "../errors.ts";
import { VerificationCode } from "../verification.ts";
import { SD_JWT_VC_FORMAT } from "./sdJwtVc/constants.ts";
import { type P256PublicJwk, parseP256PublicJwk } from "./sdJwtVc/crypto.ts";
import { issueSdJwtVc } from "./sdJwtVc/issueSdJwtVc.ts";
import { acceptsSdJwtVc } from "./sdJwtVc/parseSdJwtVc.ts";
import type { CredentialDraft, CredentialFormat, FormatContext, FormatResult, JwsSigner, NormalizedCredential } from "./types.ts";

/** What {@link SdJwtVcFormat.build} makes of a draft: one copy's issuance, signed by `sign`. */
export interface SdJwtVcCopyDraft {
  readonly issuer: string;
  readonly typeName: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly holderKey: P256PublicJwk;
  readonly status: { readonly idx: number; readonly uri: string };
  readonly issuedAt: number;
  readonly validUntil: number;
}

/** The `dc+sd-jwt` format module (registered in `defaultFormats`). */
export interface SdJwtVcFormat extends CredentialFormat<SdJwtVcCopyDraft> {
  readonly format: typeof SD_JWT_VC_FORMAT;
}

export interface CreateSdJwtVcFormatParameters {
  /**
   * The services' public base URL: a copy's `status.status_list.uri` is
   * `<base>/status-lists/<revocationListId>/<suspensionListId>`. Without it `build` refuses (`INVALID_ARGUMENT`).
   */
  readonly statusListBaseUrl?: string;
}

/**
 * The SD-JWT VC format module (IETF SD-JWT VC, `typ: dc+sd-jwt`) in the format registry:
 * - `accepts`: an SD-JWT (`<jwt>~…~`);
 * - `parse`: refuses it (`MALFORMED`) as a credential *inside* a presentation: an SD-JWT VC is bound to a key
 *   (`cnf.jwk`), not to the presentation's signer, and is answered on its own with a KB-JWT, which the verifier's
 *   `verifyPresentation` checks on its SD-JWT VC path (a verifier whose registry lacks this module refuses those);
 * - `build` + `sign`: one key-bound copy for a draft with `holder: { kind: "jwk" }` (batches: `issueSdJwtVc`).
 *
 * @example
 * ```ts
 * const format = createSdJwtVcFormat({ statusListBaseUrl: "https://id.example.kr" });
 * const copy = await format.sign(format.build({ ...draft, holder: { kind: "jwk", jwk } }), issuerSigner);
 * ```
 */
export function createSdJwtVcFormat(params: CreateSdJwtVcFormatParameters = {}): SdJwtVcFormat {
  const base = params.statusListBaseUrl?.replace(/\/+$/, "");
  return {
    format: SD_JWT_VC_FORMAT,
    accepts: acceptsSdJwtVc,
    parse(_raw: unknown, _context: FormatContext): FormatResult<NormalizedCredential> {
      return {
        ok: false,
        code: VerificationCode.MALFORMED,
        message: "an SD-JWT VC is bound to a key: it is presented on its own with a key binding JWT, never inside a VP",
      };
    },
    build(draft: CredentialDraft): SdJwtVcCopyDraft {
      if (draft.holder.kind !== "jwk") throw new MobileIdError("INVALID_ARGUMENT", "an SD-JWT VC is bound to a holder key (holder.kind jwk), not a DID");
      const holderKey = parseP256PublicJwk(draft.holder.jwk);
      if (holderKey === undefined) throw new MobileIdError("INVALID_ARGUMENT", "the holder key must be a P-256 public JWK");
      if (base === undefined || !/^https?:\/\/[^\s/]+/.test(base)) throw new MobileIdError("INVALID_ARGUMENT", "statusListBaseUrl is required to build an SD-JWT VC");
      if (draft.status.index > BigInt(Number.MAX_SAFE_INTEGER)) throw new MobileIdError("INVALID_ARGUMENT", "status index out of range");
      return {
        issuer: draft.issuer,
        typeName: draft.type.name,
        claims: draft.claims,
        holderKey,
        status: { idx: Number(draft.status.index), uri: `${base}/status-lists/${draft.status.revocationListId}/${draft.status.suspensionListId}` },
        issuedAt: draft.issuedAt ?? draft.validFrom,
        validUntil: draft.validUntil,
      };
    },
    async sign(payload: SdJwtVcCopyDraft, signer: JwsSigner): Promise<string> {
      if (signer.alg !== "ES256K") throw new MobileIdError("INVALID_ARGUMENT", "an SD-JWT VC issuer signs with ES256K");
      const { copies } = await issueSdJwtVc({
        issuer: payload.issuer,
        signer: { alg: "ES256K", kid: signer.kid, sign: (input) => signer.sign(input) },
        typeName: payload.typeName,
        claims: payload.claims,
        copies: [{ holderKey: payload.holderKey, status: payload.status }],
        issuedAt: payload.issuedAt,
        validUntil: payload.validUntil,
        // The draft's time is the issuer's decision: keep it (the batch API rounds to the hour by default).
        timeGranularitySeconds: 1,
      });
      return copies[0] as string;
    },
  };
}

/**
 * The `dc+sd-jwt` module as the default registries hold it: parses (refuses inside a VP) and marks that the actor
 * understands SD-JWT VC; building needs a status list base URL (`createSdJwtVcFormat({ statusListBaseUrl })`).
 *
 * @example
 * ```ts
 * defaultFormats.credential("dc+sd-jwt") === sdJwtVcFormat
 * ```
 */
export const sdJwtVcFormat: SdJwtVcFormat = createSdJwtVcFormat();
