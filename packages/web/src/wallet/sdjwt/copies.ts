/**
 * SD-JWT VC copies in the web wallet (issue 10): received in batches (one issuance, N copies, each bound to its own
 * non-extractable holder key), kept sealed in the device vault, one unused copy per verifier so that two verifiers
 * never see the same copy, and "copies left" per card. Protocol-neutral: the OpenID4VCI client hands copies to
 * {@link receiveCopies}; the OpenID4VP client calls {@link presentCopy} after the holder consented.
 */
import { type ClaimPath, type SdJwtVcIssuerEnvelope, maskResidentRegistrationNumber, presentSdJwtVc, verifySdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { jwkThumbprint, holderKeySigner, listHolderKeyIds } from "./holderKeys.ts";
import { type Vault, readSealed, writeSealed } from "./vault.ts";

const RECORD = "sd-jwt-vc";
const encoder = new TextEncoder();

/** One copy as stored (inside the sealed vault record). */
interface StoredCopy {
  readonly id: string;
  readonly batch: string;
  readonly copy: string;
  readonly keyId: string;
  readonly importedAt: number;
  /** The verifier (its client_id or domain) this copy was shown to; a copy is never shown to two. */
  readonly usedBy?: string;
}

/** A card held as SD-JWT VC copies: what the card list shows. */
export interface SdJwtCard {
  readonly batch: string;
  readonly type: string;
  readonly vct: string;
  readonly issuer: string;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly status: { readonly idx: number; readonly uri: string };
  readonly copies: number;
  /** Copies not shown to any verifier yet. */
  readonly remaining: number;
  /** The verifiers (OpenID4VP `client_id`s) a copy was shown to: each gets that same copy again. */
  readonly shownTo: readonly string[];
  /** Every claim, for the card face (the resident registration number masked). */
  readonly claims: Readonly<Record<string, unknown>>;
}

export type CopiesErrorCode = "COPY_INVALID" | "COPY_NOT_BOUND_TO_THIS_DEVICE" | "COPY_DUPLICATE" | "COPY_MIXED_BATCH" | "NO_UNUSED_COPY" | "CARD_NOT_FOUND" | "HOLDER_KEY_MISSING";

/** Why copies were refused or no copy can answer. */
export class CopiesError extends Error {
  readonly code: CopiesErrorCode;
  constructor(code: CopiesErrorCode, detail?: string) {
    super(detail === undefined ? code : `${code}: ${detail}`);
    this.code = code;
    this.name = "CopiesError";
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (x) => x.toString(16).padStart(2, "0")).join("");
}

const stored = async (vault: Vault) => (await readSealed<StoredCopy[]>(vault, RECORD)) ?? [];

/**
 * Checks and stores the copies of one issuance. Each must be a well-formed SD-JWT VC without a KB-JWT whose issuer
 * signature `verifyIssuerSignature` accepts (the caller's ledger key check), bound (`cnf.jwk`) to a holder key made
 * on this device and not bound to another copy, and of the same type and issuer as the others. All or nothing.
 *
 * @example
 * ```ts
 * const jwks = await createHolderKeys({ db, count: 10 });
 * const copies = await issueThroughOpenId4Vci(jwks); // the protocol client
 * const card = await receiveCopies({ vault, copies, chainId, verifyIssuerSignature });
 * ```
 */
export async function receiveCopies(params: {
  readonly vault: Vault;
  readonly copies: readonly string[];
  readonly chainId: number;
  readonly verifyIssuerSignature: (envelope: SdJwtVcIssuerEnvelope) => boolean | Promise<boolean>;
  readonly now?: number;
  /** Add the copies to this card (new copies of the same credential: same type and issuer), not as a new card. */
  readonly intoBatch?: string;
}): Promise<SdJwtCard> {
  const now = params.now ?? Math.floor(Date.now() / 1000);
  if (params.copies.length === 0 || params.copies.length > 100) throw new CopiesError("COPY_INVALID", "1..100 copies");
  const held = new Set(await listHolderKeyIds(params.vault.db));
  const existing = await stored(params.vault);
  const bound = new Set(existing.map((c) => c.keyId));
  const known = new Set(existing.map((c) => c.id));
  const added: Omit<StoredCopy, "batch">[] = [];
  let first: { type: string; issuer: string } | undefined;
  if (params.intoBatch !== undefined) {
    const held = existing.find((c) => c.batch === params.intoBatch);
    if (held === undefined) throw new CopiesError("CARD_NOT_FOUND");
    const d = await verifySdJwtVc({ token: held.copy, now, chainId: BigInt(params.chainId), verifyIssuerSignature: () => true });
    if (!d.ok) throw new CopiesError("COPY_INVALID", d.code);
    first = { type: d.value.typeName, issuer: d.value.issuer.did };
  }
  for (const copy of params.copies) {
    const d = await verifySdJwtVc({ token: copy, now, chainId: BigInt(params.chainId), verifyIssuerSignature: params.verifyIssuerSignature });
    if (!d.ok) throw new CopiesError("COPY_INVALID", d.code);
    if (first === undefined) first = { type: d.value.typeName, issuer: d.value.issuer.did };
    else if (first.type !== d.value.typeName || first.issuer !== d.value.issuer.did) throw new CopiesError("COPY_MIXED_BATCH");
    const keyId = await jwkThumbprint(d.value.holderKey);
    if (!held.has(keyId) || bound.has(keyId)) throw new CopiesError("COPY_NOT_BOUND_TO_THIS_DEVICE");
    const id = await sha256Hex(copy);
    if (known.has(id)) throw new CopiesError("COPY_DUPLICATE");
    bound.add(keyId);
    known.add(id);
    added.push({ id, copy, keyId, importedAt: now });
  }
  const batch = params.intoBatch ?? (await sha256Hex(added.map((c) => c.id).join(",")));
  await writeSealed(params.vault, RECORD, [...existing, ...added.map((c) => ({ ...c, batch }))]);
  const card = (await listCards({ vault: params.vault, chainId: params.chainId, now })).find((c) => c.batch === batch);
  if (card === undefined) throw new CopiesError("CARD_NOT_FOUND");
  return card;
}

/**
 * The cards held as SD-JWT VC copies, with how many copies are left.
 *
 * @example
 * ```ts
 * for (const card of await listCards({ vault, chainId })) console.log(card.type, card.remaining, "/", card.copies);
 * ```
 */
export async function listCards(params: { readonly vault: Vault; readonly chainId: number; readonly now?: number }): Promise<SdJwtCard[]> {
  const now = params.now ?? Math.floor(Date.now() / 1000);
  const batches = new Map<string, StoredCopy[]>();
  for (const c of await stored(params.vault)) batches.set(c.batch, [...(batches.get(c.batch) ?? []), c]);
  const out: SdJwtCard[] = [];
  for (const [batch, copies] of batches) {
    // Signature checked at receipt; here the copy is only decoded (its bytes come from the sealed vault).
    const d = await verifySdJwtVc({ token: (copies[0] as StoredCopy).copy, now, chainId: BigInt(params.chainId), verifyIssuerSignature: () => true });
    if (!d.ok) continue;
    const claims: Record<string, unknown> = { ...d.value.claims };
    if (typeof claims["residentRegistrationNumber"] === "string") claims["residentRegistrationNumber"] = maskResidentRegistrationNumber(claims["residentRegistrationNumber"]);
    out.push({
      batch,
      type: d.value.typeName,
      vct: d.value.vct,
      issuer: d.value.issuer.did,
      validFrom: d.value.validFrom,
      validUntil: d.value.validUntil,
      status: d.value.status,
      copies: copies.length,
      remaining: copies.filter((c) => c.usedBy === undefined).length,
      shownTo: [...new Set(copies.flatMap((c) => (c.usedBy === undefined ? [] : [c.usedBy])))],
      claims,
    });
  }
  return out;
}

/**
 * Answers a verifier with one copy of a card, after the holder consented: the copy already shown to this verifier,
 * else an unused one (recorded as this verifier's before the presentation is made, so that a failure never lets
 * one copy reach two verifiers). Discloses exactly `claims` and signs the KB-JWT (`aud` = `audience`, `nonce`)
 * with the copy's own non-extractable key.
 *
 * @example
 * ```ts
 * const { presentation, remaining } = await presentCopy({ vault, batch: card.batch, verifier: clientId,
 *   audience: clientId, nonce, claims: [["age_equal_or_over", "19"]] });
 * ```
 */
export async function presentCopy(params: {
  readonly vault: Vault;
  readonly batch: string;
  /** Who the copy is for (OpenID4VP `client_id`): the same verifier gets the same copy, another one another copy. */
  readonly verifier: string;
  readonly audience: string;
  readonly nonce: string;
  readonly claims: readonly ClaimPath[];
  readonly now?: number;
}): Promise<{ readonly presentation: string; readonly copyId: string; readonly remaining: number }> {
  const all = await stored(params.vault);
  const inBatch = all.filter((c) => c.batch === params.batch);
  if (inBatch.length === 0) throw new CopiesError("CARD_NOT_FOUND");
  const again = inBatch.find((c) => c.usedBy === params.verifier);
  const pick = again ?? inBatch.find((c) => c.usedBy === undefined);
  if (pick === undefined) throw new CopiesError("NO_UNUSED_COPY");
  if (again === undefined) await writeSealed(params.vault, RECORD, all.map((c) => (c.id === pick.id ? { ...c, usedBy: params.verifier } : c)));
  const signer = await holderKeySigner({ db: params.vault.db, keyId: pick.keyId });
  if (signer === undefined) throw new CopiesError("HOLDER_KEY_MISSING");
  const presentation = await presentSdJwtVc({
    credential: pick.copy,
    claims: params.claims,
    audience: params.audience,
    nonce: params.nonce,
    issuedAt: params.now ?? Math.floor(Date.now() / 1000),
    holderSigner: signer,
  });
  const remaining = inBatch.filter((c) => c.usedBy === undefined && c.id !== pick.id).length;
  return { presentation, copyId: pick.id, remaining };
}

/** Removes a card's copies (their holder keys are deleted by the caller, `deleteHolderKeys`). Returns the key ids. */
export async function removeCard(params: { readonly vault: Vault; readonly batch: string }): Promise<string[]> {
  const all = await stored(params.vault);
  await writeSealed(params.vault, RECORD, all.filter((c) => c.batch !== params.batch));
  return all.filter((c) => c.batch === params.batch).map((c) => c.keyId);
}
