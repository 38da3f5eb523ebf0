import { getAddress, isAddress } from "ethers";
import {
  AccreditationStatus,
  type RelyingPartyLedger,
  type RelyingPartyRegistration,
} from "@mobile-id/chain";
import {
  MobileIdError,
  RelyingPartyCode,
  claimIdentifier,
  credentialTypeId,
  findCredentialType,
  parseEthrDid,
} from "@mobile-id/core";

export interface AssertRelyingPartyMayRequestParameters {
  /** Where registrations are read (e.g. `createRelyingPartyReader({ descriptor, provider })`). */
  readonly ledger: RelyingPartyLedger;
  /** The relying party: its `did:ethr` or address. */
  readonly relyingParty: string;
  /** A credential type name (latest version, e.g. `DriversLicenseCredential`) or its 32-byte id. */
  readonly credentialType: string;
  /** The claim paths the request asks for (`"familyName"`, `["age_equal_or_over", "19"]`). */
  readonly claims: readonly (string | readonly (string | number | null)[])[];
  /** The time to decide for, in seconds (the ledger's time when creating a request now). */
  readonly at: number;
}

export type AssertRelyingPartyMayRequestReturnType =
  | {
      readonly permitted: true;
      readonly registration: RelyingPartyRegistration;
      /** Every claim the party may ask for of this type (a superset of those requested). */
      readonly permittedClaims: readonly string[];
    }
  | {
      readonly permitted: false;
      readonly code: RelyingPartyCode;
      /** A sentence for a person: who asked, and why the request is outside its registration. */
      readonly message: string;
      readonly registration: RelyingPartyRegistration;
      /** For `CLAIM_NOT_PERMITTED`: the requested claims outside the registration. */
      readonly notPermitted: readonly string[];
    };

/**
 * Decides whether a relying party may ask for these claims of this credential type at time `at`, from its
 * registration on the ledger: registered, in force (not suspended, revoked, expired or pending), and every
 * requested claim among those its accreditor granted for the type, that accreditor itself in force. Claims
 * match by identifier exactly (no wildcard widening). The verifier package refuses to create a request for
 * which this is not `permitted`; a wallet refuses to answer one.
 *
 * Returns an outcome with a stable `code` (`RelyingPartyCode`) for a party that may not ask; throws only for
 * misuse (`INVALID_ARGUMENT`, `UNKNOWN_CREDENTIAL_TYPE`) and an unreadable ledger (`LEDGER_UNAVAILABLE`: fail
 * closed).
 *
 * @example
 * ```ts
 * const r = await assertRelyingPartyMayRequest({ ledger: createRelyingPartyReader({ descriptor, provider }),
 *   relyingParty: "did:ethr:0x7a69:0x…", credentialType: "DriversLicenseCredential", claims: ["birthDate"], at });
 * if (!r.permitted) console.log(r.code, r.message); // e.g. CLAIM_NOT_PERMITTED
 * ```
 */
export async function assertRelyingPartyMayRequest(
  params: AssertRelyingPartyMayRequestParameters,
): Promise<AssertRelyingPartyMayRequestReturnType> {
  const identity = relyingPartyAddress(params.relyingParty);
  const typeId = typeIdOf(params.credentialType);
  if (!Number.isSafeInteger(params.at) || params.at < 0) {
    throw new MobileIdError("INVALID_ARGUMENT", "at must be a time in whole seconds", { details: { at: params.at } });
  }
  const registration = await params.ledger.relyingPartyAt(identity, params.at);
  const who = registration.name === "" ? identity : `${registration.name} (${identity})`;
  const refuse = (code: RelyingPartyCode, message: string, notPermitted: readonly string[] = []) =>
    ({ permitted: false, code, message, registration, notPermitted }) as const;
  switch (registration.status) {
    case AccreditationStatus.Active:
      break;
    case AccreditationStatus.Suspended:
      return refuse(RelyingPartyCode.RELYING_PARTY_SUSPENDED, `${who} is suspended: it may not ask for credentials now`);
    case AccreditationStatus.Revoked:
      return refuse(RelyingPartyCode.RELYING_PARTY_REVOKED, `${who} had its registration revoked`);
    case AccreditationStatus.Expired:
    case AccreditationStatus.Pending:
      return refuse(RelyingPartyCode.RELYING_PARTY_EXPIRED, `${who} is not registered for this time (outside its registration window)`);
    default:
      return refuse(RelyingPartyCode.RELYING_PARTY_UNREGISTERED, `${identity} is not a registered relying party`);
  }
  const permission = await params.ledger.permittedClaimsAt(identity, typeId, params.at);
  const requested = params.claims.map((c) => identifierOrRaw(c));
  if (permission.claims.length === 0) {
    return refuse(RelyingPartyCode.CLAIM_NOT_PERMITTED, `${who} is not registered to ask for ${params.credentialType}`, requested);
  }
  if (!permission.grantorInForce) {
    return refuse(
      RelyingPartyCode.CLAIM_NOT_PERMITTED,
      `${who}'s permission for ${params.credentialType} lapsed: the accreditor that granted it is not in force`,
      requested,
    );
  }
  const allowed = new Set(permission.claims);
  const outside = requested.filter((c) => !allowed.has(c));
  if (outside.length > 0) {
    return refuse(
      RelyingPartyCode.CLAIM_NOT_PERMITTED,
      `${who} is not registered to ask for ${outside.join(", ")} of ${params.credentialType}`,
      outside,
    );
  }
  return { permitted: true, registration, permittedClaims: permission.claims };
}

function relyingPartyAddress(value: string): string {
  if (isAddress(value)) return getAddress(value);
  const did = parseEthrDid(value);
  if (did === undefined) {
    throw new MobileIdError("INVALID_ARGUMENT", "a relying party is a did:ethr or an address", { details: { relyingParty: value } });
  }
  return did.address;
}

function typeIdOf(credentialType: string): string {
  if (/^0x[0-9a-fA-F]{64}$/.test(credentialType)) return credentialType.toLowerCase();
  const type = findCredentialType(credentialType);
  if (type === undefined) {
    throw new MobileIdError("UNKNOWN_CREDENTIAL_TYPE", "unknown credential type", { details: { credentialType } });
  }
  return credentialTypeId(type.name, type.version);
}

/** A malformed path (too long, a "." inside a component) cannot be on the ledger: it is simply not permitted. */
function identifierOrRaw(path: string | readonly (string | number | null)[]): string {
  try {
    return claimIdentifier(path);
  } catch {
    return typeof path === "string" ? path : path.map((p) => (p === null ? "*" : String(p))).join(".");
  }
}
