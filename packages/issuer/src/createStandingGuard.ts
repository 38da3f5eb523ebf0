import { type Contract, type Provider, bytes32FromText, checksumAddress } from "@mobile-id/chain";
import { type CredentialTypeDefinition, credentialTypeId } from "@mobile-id/core";
import { IssuerErrorCode, issuerError } from "./errors.ts";
import { issuerLedgerError } from "./ledger.ts";

/** `IAccreditationRegistry.Status`, by number. */
const STATUS_NAMES = ["None", "Active", "Suspended", "Revoked", "Expired", "Pending"] as const;
const VERI_KEY = bytes32FromText("veriKey");
const SIG_AUTH = bytes32FromText("sigAuth");

export interface StandingGuardParameters {
  readonly provider: Provider;
  readonly accreditationRegistry: Contract;
  readonly didRegistry: Contract;
  readonly issuerAddress: string;
  /** The address of the key that signs the JWTs. */
  readonly signerAddress: string;
  /**
   * How long a positive answer is reused, in seconds (never past the accreditation's `validUntil`). Refusals
   * are never cached, so a reinstated issuer can issue at once. 0 asks the ledger on every issuance.
   */
  readonly ttlSeconds: number;
}

export interface StandingGuard {
  /**
   * Throws `ISSUER_NOT_IN_FORCE` unless the issuer is in force for `type` at `now` (`standingAt`), and
   * `SIGNER_NOT_AUTHORIZED` unless the JWT key is the identity's owner or a valid `veriKey`/`sigAuth` delegate.
   */
  assertMayIssue(type: CredentialTypeDefinition, now: number): Promise<void>;
  /**
   * Whether the issuer was in force for `type` at the past time `at` (`standingAt`; no signer check). True answers
   * are kept (the registry's history is append-only: what held at a past time never changes); false ones are not.
   * Used to date SD-JWT VC copies to the hour only when the issuer was already in force at that hour.
   */
  wasInForceAt(type: CredentialTypeDefinition, at: number): Promise<boolean>;
  /** Forgets every cached answer. */
  invalidate(): void;
  /**
   * How the registry authorized the signing key at the last successful check: as a delegate of the identity
   * (preferred: it names the key whoever owns the identity) or as its owner. Undefined before any check.
   */
  signerKind(): "delegate" | "controller" | undefined;
}

interface Cached {
  readonly until: number;
}

/**
 * The issuance-time check of the issuer's standing on the ledger, with a short positive cache: issuing is a
 * hot path, and the two reads (`standingAt`, signer authorization) would otherwise cost two round trips per
 * credential. The trade-off is explicit: a suspension of the issuer takes effect here within `ttlSeconds`.
 *
 * @example
 * ```ts
 * const guard = createStandingGuard({ accreditationRegistry, didRegistry, issuerAddress, signerAddress, ttlSeconds: 30 });
 * await guard.assertMayIssue(type, clock());
 * ```
 */
export function createStandingGuard(params: StandingGuardParameters): StandingGuard {
  const { accreditationRegistry, didRegistry, ttlSeconds } = params;
  const issuer = checksumAddress(params.issuerAddress);
  const signer = checksumAddress(params.signerAddress);
  const cache = new Map<string, Cached>();
  const typeIds = new Map<CredentialTypeDefinition, string>();
  const inFlight = new Map<string, Promise<void>>();
  let kind: "delegate" | "controller" | undefined;

  const check = async (type: CredentialTypeDefinition, now: number, typeId: string): Promise<void> => {
    let standing: { inForce: boolean; status: bigint; accreditorStatus: bigint; validUntil: bigint };
    let signerOk: boolean;
    try {
      // Ask about the later of our clock and the ledger's: a clock running behind the ledger would otherwise
      // read the record as it was before a suspension that the ledger already holds.
      const latest = await params.provider.getBlock("latest");
      const at = Math.max(now, latest?.timestamp ?? 0);
      const [s, owner, veriKey, sigAuth] = await Promise.all([
        accreditationRegistry.getFunction("standingAt")(issuer, typeId, at),
        didRegistry.getFunction("identityOwner")(issuer),
        didRegistry.getFunction("validDelegate")(issuer, VERI_KEY, signer),
        didRegistry.getFunction("validDelegate")(issuer, SIG_AUTH, signer),
      ]);
      standing = s;
      signerOk = checksumAddress(owner as string) === signer || veriKey === true || sigAuth === true;
      if (signerOk) kind = veriKey === true || sigAuth === true ? "delegate" : "controller";
    } catch (e) {
      throw issuerLedgerError(e, "standing");
    }
    if (!standing.inForce) {
      throw issuerError(IssuerErrorCode.ISSUER_NOT_IN_FORCE, `the issuer is not in force for ${type.name}`, {
        details: {
          type: type.name,
          at: now,
          status: STATUS_NAMES[Number(standing.status)] ?? String(standing.status),
          accreditorStatus: STATUS_NAMES[Number(standing.accreditorStatus)] ?? String(standing.accreditorStatus),
        },
        hint: "the issuer's accreditation (or its accreditor's) for this type is not active: ask the accreditor",
      });
    }
    if (!signerOk) {
      throw issuerError(IssuerErrorCode.SIGNER_NOT_AUTHORIZED, "the JWT signing key cannot sign for the issuer", {
        details: { issuer, signer },
        hint: "use the identity's owner key, or add the key as a veriKey delegate (ERC-1056 addDelegate)",
      });
    }
    cache.set(typeId, { until: Math.min(now + ttlSeconds, Number(standing.validUntil)) });
  };

  // credentialTypeId is a keccak of an ABI encoding (~100 µs): once per type, not per credential.
  const typeIdOf = (type: CredentialTypeDefinition): string => {
    let typeId = typeIds.get(type);
    if (typeId === undefined) {
      typeId = credentialTypeId(type.name, type.version);
      typeIds.set(type, typeId);
    }
    return typeId;
  };
  const inForceBefore = new Set<string>();

  return {
    signerKind: () => kind,
    async wasInForceAt(type, at) {
      const key = `${typeIdOf(type)}@${at}`;
      if (inForceBefore.has(key)) return true;
      let standing: { inForce: boolean };
      try {
        standing = await accreditationRegistry.getFunction("standingAt")(issuer, typeIdOf(type), at);
      } catch (e) {
        throw issuerLedgerError(e, "standing");
      }
      if (standing.inForce) {
        if (inForceBefore.size >= 1024) inForceBefore.clear();
        inForceBefore.add(key);
      }
      return standing.inForce;
    },
    async assertMayIssue(type, now) {
      const typeId = typeIdOf(type);
      const cached = cache.get(typeId);
      if (cached !== undefined && now < cached.until) return;
      cache.delete(typeId);
      // Concurrent issuances of a cold type share one round trip.
      const key = `${typeId}@${now}`;
      let pending = inFlight.get(key);
      if (pending === undefined) {
        pending = check(type, now, typeId).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      await pending;
    },
    invalidate() {
      cache.clear();
    },
  };
}
