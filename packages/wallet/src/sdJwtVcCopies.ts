/**
 * SD-JWT VC in the wallet (issue 10): a P-256 key per copy made and kept here (encrypted at rest with the rest of
 * the wallet), batches of copies imported and checked against those keys, one unused copy per verifier, only the
 * requested claims disclosed, and a KB-JWT. Browser-safe (`@noble`, WebCrypto randomness).
 */
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";
import { MobileIdError, VerificationCode, encodeBase64url } from "@mobile-id/core/browser";
import {
  type P256PublicJwk,
  createP256Signer,
  maskResidentRegistrationNumber,
  presentSdJwtVc,
  verifySdJwtVc,
} from "@mobile-id/core/sd-jwt-vc";
import { walletError } from "./errors.ts";
import { checkRequest } from "./preparePresentation.ts";
import { type Wallet, mutateWallet, readWallet } from "./session.ts";
import type { StoredHolderKey, StoredSdJwtVc, WalletState } from "./state.ts";
import type { CredentialVerifier } from "./importCredential.ts";
import { type HolderKeyStore, holderKeySigner } from "./holderKeyStore.ts";

const encoder = new TextEncoder();
/** Most holder keys one call makes (an issuance is 10 copies by default, at most 100). */
export const MAX_HOLDER_KEYS_PER_CALL = 100;

/** RFC 7638 thumbprint of a P-256 public JWK (SHA-256, base64url). */
function thumbprint(jwk: { readonly x: string; readonly y: string }): string {
  return encodeBase64url(sha256(encoder.encode(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`)));
}

export interface CreateHolderKeysParameters {
  readonly wallet: Wallet;
  /** How many keys (one per copy the issuer will sign), 1..100. */
  readonly count: number;
  /**
   * Make the keys in this platform key store (e.g. non-extractable WebCrypto keys) instead of the wallet state; the
   * wallet keeps their public JWKs only, and signs through the store.
   */
  readonly store?: HolderKeyStore;
}

export interface CreateHolderKeysReturnType {
  /** The public keys, for the issuer's batch (`copies[i].holderKey`). */
  readonly keys: readonly P256PublicJwk[];
}

/**
 * Makes `count` fresh P-256 holder keys for an SD-JWT VC issuance and stores their private halves in the wallet
 * (encrypted with the wallet). The issuer binds one copy to each (`cnf.jwk`); the wallet later accepts only copies
 * bound to a key it made and has not bound yet. The function the issuer side calls to get fresh holder JWKs.
 *
 * @example
 * ```ts
 * const { keys } = await createHolderKeys({ wallet, count: 10 });
 * const batch = await issuer.issueSdJwtVcBatch({ ..., holderKeys: keys });
 * ```
 */
export async function createHolderKeys(params: CreateHolderKeysParameters): Promise<CreateHolderKeysReturnType> {
  const { count } = params;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_HOLDER_KEYS_PER_CALL) {
    throw new MobileIdError("INVALID_ARGUMENT", `count must be 1..${MAX_HOLDER_KEYS_PER_CALL}`, { details: { count } });
  }
  const external: P256PublicJwk[] = [];
  if (params.store !== undefined) {
    readWallet(params.wallet); // WALLET_LOCKED before touching the store
    for (let i = 0; i < count; i++) external.push(await params.store.create());
  }
  return mutateWallet(params.wallet, async (state, session) => {
    const now = session.now();
    const made: StoredHolderKey[] = external.map((jwk) => ({ id: thumbprint(jwk), jwk: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }, external: true, createdAt: now }));
    while (made.length < count) {
      const privateKey = crypto.getRandomValues(new Uint8Array(32));
      let jwk: P256PublicJwk;
      try {
        jwk = createP256Signer(privateKey).publicJwk;
      } catch {
        continue; // not a valid scalar (probability ~2^-32): draw again
      }
      made.push({ id: thumbprint(jwk), jwk: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }, privateKey: `0x${bytesToHex(privateKey)}`, createdAt: now });
      privateKey.fill(0);
    }
    return {
      next: { ...state, holderKeys: [...(state.holderKeys ?? []), ...made], sdJwtVcs: state.sdJwtVcs ?? [] },
      result: { keys: made.map((k) => ({ ...k.jwk })) },
    };
  });
}

export interface ImportSdJwtVcCopiesParameters {
  readonly wallet: Wallet;
  /** The copies of one issuance, as issued (`<jwt>~<d1>~…~`). */
  readonly copies: readonly string[];
  /** The ledger check of each copy as issued (the verifier's `verifyCredential`). */
  readonly verifyCredential: CredentialVerifier;
}

export interface SdJwtVcBatchSummary {
  readonly batch: string;
  readonly type: string;
  readonly vct: string;
  readonly issuer: string;
  readonly validUntil: number;
  readonly copies: number;
  /** Copies not shown to any verifier yet. */
  readonly remaining: number;
  /** The verifiers shown a copy. */
  readonly usedBy: readonly string[];
  /** The claims, for display: the resident registration number masked. */
  readonly claims: Readonly<Record<string, unknown>>;
}

function copyId(copy: string): string {
  return bytesToHex(sha256(encoder.encode(copy)));
}

/** Decodes a stored copy with every disclosure (no KB-JWT): its type, issuer, times and claims. Signature not checked. */
async function decodeCopy(copy: string, chainId: number, now: number) {
  return verifySdJwtVc({ token: copy, now, chainId: BigInt(chainId), verifyIssuerSignature: () => true });
}

/**
 * Imports the copies of one SD-JWT VC issuance. Each copy must be well formed (core's SD-JWT VC rules, no KB-JWT),
 * be bound (`cnf.jwk`) to a holder key this wallet made with {@link createHolderKeys} and has not bound yet
 * (`WALLET_NOT_SUBJECT` otherwise), carry the same type and issuer as the others, and pass the injected ledger
 * check (`WALLET_CREDENTIAL_REJECTED` with `details.verificationCode`). All or nothing.
 *
 * @example
 * ```ts
 * await importSdJwtVcCopies({ wallet, copies: batch.copies, verifyCredential: (c) => verifier.verifyCredential({ credential: c }) });
 * ```
 */
export async function importSdJwtVcCopies(params: ImportSdJwtVcCopiesParameters): Promise<SdJwtVcBatchSummary> {
  const { copies } = params;
  if (!Array.isArray(copies) || copies.length === 0 || copies.length > MAX_HOLDER_KEYS_PER_CALL) {
    throw new MobileIdError("INVALID_ARGUMENT", `copies must hold 1..${MAX_HOLDER_KEYS_PER_CALL} SD-JWT VCs`);
  }
  return mutateWallet(params.wallet, async (state, session) => {
    const now = session.now();
    const keys = new Map((state.holderKeys ?? []).map((k) => [k.id, k]));
    const bound = new Set((state.sdJwtVcs ?? []).map((c) => c.keyId));
    const known = new Set((state.sdJwtVcs ?? []).map((c) => c.id));
    const added: Omit<StoredSdJwtVc, "batch">[] = [];
    let first: { type: string; issuer: string } | undefined;
    for (const copy of copies) {
      const d = await decodeCopy(copy, state.chainId, now);
      if (!d.ok) throw walletError("WALLET_CREDENTIAL_REJECTED", `copy refused: ${d.message}`, { details: { verificationCode: d.code } });
      if (first === undefined) first = { type: d.value.typeName, issuer: d.value.issuer.did };
      else if (first.type !== d.value.typeName || first.issuer !== d.value.issuer.did) {
        throw walletError("WALLET_CREDENTIAL_REJECTED", "the copies are not of one credential", { details: { verificationCode: VerificationCode.MALFORMED } });
      }
      const keyId = thumbprint(d.value.holderKey);
      if (!keys.has(keyId) || bound.has(keyId)) {
        throw walletError("WALLET_NOT_SUBJECT", "a copy is not bound to a fresh holder key of this wallet", { details: { keyId } });
      }
      const id = copyId(copy);
      if (known.has(id)) throw walletError("WALLET_CREDENTIAL_REJECTED", "a copy is already in the wallet", { details: { verificationCode: VerificationCode.MALFORMED } });
      bound.add(keyId);
      known.add(id);
      added.push({ id, copy, keyId, importedAt: now });
    }
    for (const c of added) {
      let outcome;
      try {
        outcome = await params.verifyCredential(c.copy);
      } catch (e) {
        throw walletError("WALLET_VERIFIER_FAILED", "the copy could not be verified", { cause: e });
      }
      if (outcome?.verified !== true) {
        const code = typeof outcome?.code === "string" ? outcome.code : "UNKNOWN";
        throw walletError("WALLET_CREDENTIAL_REJECTED", `the verifier refused a copy (${code})`, { details: { verificationCode: code } });
      }
    }
    const batch = bytesToHex(sha256(encoder.encode(added.map((c) => c.id).join(","))));
    const stored = added.map((c) => ({ ...c, batch }));
    const next: WalletState = { ...state, holderKeys: state.holderKeys ?? [], sdJwtVcs: [...(state.sdJwtVcs ?? []), ...stored] };
    return { next, result: (await summarize(next, now)).find((b) => b.batch === batch) as SdJwtVcBatchSummary };
  });
}

async function summarize(state: WalletState, now: number): Promise<SdJwtVcBatchSummary[]> {
  const batches = new Map<string, StoredSdJwtVc[]>();
  for (const c of state.sdJwtVcs ?? []) batches.set(c.batch, [...(batches.get(c.batch) ?? []), c]);
  const out: SdJwtVcBatchSummary[] = [];
  for (const [batch, copies] of batches) {
    const d = await decodeCopy((copies[0] as StoredSdJwtVc).copy, state.chainId, now);
    const claims: Record<string, unknown> = d.ok ? { ...d.value.claims } : {};
    if (typeof claims.residentRegistrationNumber === "string") claims.residentRegistrationNumber = maskResidentRegistrationNumber(claims.residentRegistrationNumber);
    if (typeof claims.portrait === "string") claims.portrait = `(portrait, ${claims.portrait.length} characters)`;
    out.push({
      batch,
      type: d.ok ? d.value.typeName : "(unreadable)",
      vct: d.ok ? d.value.vct : "",
      issuer: d.ok ? d.value.issuer.did : "",
      validUntil: d.ok ? d.value.validUntil : 0,
      copies: copies.length,
      remaining: copies.filter((c) => c.usedBy === undefined).length,
      usedBy: [...new Set(copies.flatMap((c) => (c.usedBy === undefined ? [] : [c.usedBy])))],
      claims,
    });
  }
  return out;
}

/**
 * The SD-JWT VC batches in the wallet, with how many copies remain unused and the claims for display (the
 * resident registration number masked, the portrait summarized).
 *
 * @example
 * ```ts
 * for (const b of await listSdJwtVcs({ wallet })) console.log(b.type, `${b.remaining}/${b.copies} copies left`);
 * ```
 */
export async function listSdJwtVcs(params: { readonly wallet: Wallet }): Promise<SdJwtVcBatchSummary[]> {
  const { state, now } = readWallet(params.wallet);
  return summarize(state, now());
}

export interface PresentSdJwtVcCopyParameters {
  readonly wallet: Wallet;
  /** The verifier's request (checked again): its `domain`, `challenge`, `credentialTypes` and `claims`. */
  readonly request: unknown;
  /** Which batch to answer with; default the first batch of a requested type with a usable copy. */
  readonly batch?: string;
}

export interface PresentSdJwtVcCopyReturnType {
  /** The SD-JWT VC presentation: the copy's issuer JWT, the requested disclosures only, and the KB-JWT. */
  readonly presentation: string;
  readonly batch: string;
  /** The copy used (hex SHA-256 of the copy as issued). */
  readonly copyId: string;
  /** Claim paths disclosed (those the copy carries among the requested). */
  readonly disclosed: readonly string[];
  /** Unused copies left in the batch. */
  readonly remaining: number;
}

/**
 * Answers a request with one SD-JWT VC copy: a copy already shown to this verifier (same `domain`) if any, else an
 * unused one, which is then recorded as this verifier's before anything is sent (a copy is never shown to two
 * verifiers, so two verifiers cannot link their visits by it). Discloses exactly the request's `claims` (none when
 * it names none) and signs the KB-JWT (`aud` = domain, `nonce` = challenge) with the copy's own key.
 * `WALLET_NO_UNUSED_COPY` when every copy went to other verifiers; `WALLET_CREDENTIAL_NOT_FOUND` when no batch
 * of a requested type is held.
 *
 * @example
 * ```ts
 * const { presentation, remaining } = await presentSdJwtVcCopy({ wallet, request });
 * await fetch(responseUrl, { method: "POST", body: presentation });
 * ```
 */
export async function presentSdJwtVcCopy(params: PresentSdJwtVcCopyParameters): Promise<PresentSdJwtVcCopyReturnType> {
  const chosen = await mutateWallet(params.wallet, async (state, session) => {
    const now = session.now();
    const request = checkRequest(params.request, now);
    const types = new Set(request.credentialTypes);
    const batches = (await summarize(state, now)).filter((b) => types.has(b.type) && b.validUntil > now && (params.batch === undefined || b.batch === params.batch));
    if (batches.length === 0) throw walletError("WALLET_CREDENTIAL_NOT_FOUND", "no SD-JWT VC of a requested type is held");
    const copies = state.sdJwtVcs ?? [];
    for (const b of batches) {
      const inBatch = copies.filter((c) => c.batch === b.batch);
      const again = inBatch.find((c) => c.usedBy === request.domain);
      const pick = again ?? inBatch.find((c) => c.usedBy === undefined);
      if (pick === undefined) continue;
      const next: WalletState | undefined =
        again !== undefined ? undefined : { ...state, sdJwtVcs: copies.map((c) => (c.id === pick.id ? { ...c, usedBy: request.domain } : c)) };
      const remaining = inBatch.filter((c) => c.usedBy === undefined).length - (again !== undefined ? 0 : 1);
      const key = (state.holderKeys ?? []).find((k) => k.id === pick.keyId);
      if (key === undefined) throw walletError("WALLET_TAMPERED", "a copy's holder key is missing");
      return { next, result: { request, pick, key, remaining, batch: b.batch, now } };
    }
    throw walletError("WALLET_NO_UNUSED_COPY", "every copy was shown to another verifier", { hint: "ask the issuer for new copies" });
  });
  const { request, pick, remaining, batch, now } = chosen;
  const requested = (request.claims ?? []).map((c) => c.path.split("."));
  const { signer, wipe } = await holderKeySigner(chosen.key, undefined);
  try {
    const presentation = await presentSdJwtVc({
      credential: pick.copy,
      claims: requested,
      audience: request.domain,
      nonce: request.challenge,
      issuedAt: now,
      holderSigner: { ...signer, kid: undefined },
    });
    const decoded = await verifySdJwtVc({
      token: presentation,
      now,
      chainId: BigInt(readWallet(params.wallet).state.chainId),
      verifyIssuerSignature: () => true,
      keyBinding: { audience: request.domain, nonce: request.challenge },
      requestedClaims: requested,
    });
    const withheld = new Set(decoded.ok ? decoded.value.withheld.map((p) => p.join(".")) : []);
    return { presentation, batch, copyId: pick.id, disclosed: requested.map((p) => p.join(".")).filter((p) => !withheld.has(p)), remaining };
  } finally {
    wipe();
  }
}
