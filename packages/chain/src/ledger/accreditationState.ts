import { ZeroAddress } from "ethers";
import { type AccreditationStanding, AccreditationStatus } from "./types.ts";

/** One stored version of an accreditation, as `AccreditationChanged` and its block's timestamp describe it. */
export interface AccreditationVersion {
  /** Timestamp of the block that made the change (the contract's `since`). */
  readonly since: number;
  /** Stored status: Active, Suspended or Revoked. */
  readonly status: AccreditationStatus;
  readonly validFrom: number;
  readonly validUntil: number;
  readonly reason: number;
  /** The actor of the change (`AccreditationChanged.actor`): the contract's `changedBy`. */
  readonly changedBy: string;
}

/** One (party, credential type) record: who granted it and every version, oldest first. */
export interface AccreditationRecord {
  /** The party and type as the first event gave them. */
  readonly party: string;
  readonly credentialType: string;
  /** The actor of the first event, which is always the grant. */
  readonly grantor: string;
  readonly versions: readonly AccreditationVersion[];
}

/** Registry role numbers (IAccreditationRegistry.Role). */
const ROLE_ROOT = 1;

/**
 * The accreditation registry rebuilt from its events: each (party, type) record's versions in time order, the
 * grantor (the actor of the first event, which is always the grant), and each party's role. `standingAt`
 * follows the contract's `standingAt`/`_recordAt`/`_effectiveStatus` step by step, so that a mirror answers
 * exactly what the contract would (the mirror's property test checks this against the contract).
 */
export class AccreditationBook {
  readonly #records = new Map<string, { party: string; credentialType: string; grantor: string; versions: AccreditationVersion[] }>();
  readonly #roles = new Map<string, number>();

  setRole(identity: string, role: number): void {
    this.#roles.set(identity.toLowerCase(), role);
  }

  /** The registry role of `identity` (any case): `0` (None) when it was never registered. */
  role(identity: string): number {
    return this.#roles.get(identity.toLowerCase()) ?? 0;
  }

  /** Appends a change; versions must come in chain order. */
  change(party: string, credentialType: string, actor: string, version: AccreditationVersion): void {
    const key = `${party.toLowerCase()}:${credentialType.toLowerCase()}`;
    const record = this.#records.get(key);
    if (record === undefined) this.#records.set(key, { party, credentialType, grantor: actor, versions: [version] });
    else record.versions.push(version);
  }

  /** The record of (party, credentialType), addresses and ids in any case. */
  record(party: string, credentialType: string): AccreditationRecord | undefined {
    return this.#records.get(`${party.toLowerCase()}:${credentialType.toLowerCase()}`);
  }

  /** Every record, in the order of their first event (a live view: do not change the book while iterating). */
  records(): IterableIterator<AccreditationRecord> {
    return this.#records.values();
  }

  /**
   * `standingAt(party, credentialType, at)` as the contract answers it at a block with timestamp
   * `headTimestamp`. Addresses and ids in any case.
   */
  standingAt(party: string, credentialType: string, at: number, headTimestamp: number): AccreditationStanding {
    const type = credentialType.toLowerCase();
    const record = this.#records.get(`${party.toLowerCase()}:${type}`);
    const version = record === undefined ? undefined : versionAt(record.versions, at);
    const final = at < headTimestamp;
    if (record === undefined || version === undefined) {
      return {
        inForce: false,
        status: AccreditationStatus.None,
        accreditorStatus: AccreditationStatus.None,
        validFrom: 0,
        validUntil: 0,
        since: 0,
        accreditor: ZeroAddress,
        reason: 0,
        final,
      };
    }
    const status = effectiveStatus(version, at);
    let accreditorStatus: AccreditationStatus;
    if (this.#roles.get(record.grantor.toLowerCase()) === ROLE_ROOT) {
      // Accreditors answer to the root alone, which is always in force.
      accreditorStatus = AccreditationStatus.Active;
    } else {
      const grantorRecord = this.#records.get(`${record.grantor.toLowerCase()}:${type}`);
      const grantorVersion = grantorRecord === undefined ? undefined : versionAt(grantorRecord.versions, at);
      accreditorStatus = grantorVersion === undefined ? AccreditationStatus.None : effectiveStatus(grantorVersion, at);
    }
    return {
      inForce: status === AccreditationStatus.Active && accreditorStatus === AccreditationStatus.Active,
      status,
      accreditorStatus,
      validFrom: version.validFrom,
      validUntil: version.validUntil,
      since: version.since,
      accreditor: record.grantor,
      reason: version.reason,
      final,
    };
  }
}

/** The latest version that took effect at or before `at` (binary search; versions are in time order). */
function versionAt(versions: readonly AccreditationVersion[], at: number): AccreditationVersion | undefined {
  let low = 0;
  let high = versions.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((versions[mid]?.since ?? Number.POSITIVE_INFINITY) <= at) low = mid + 1;
    else high = mid;
  }
  return low === 0 ? undefined : versions[low - 1];
}

function effectiveStatus(v: AccreditationVersion, at: number): AccreditationStatus {
  if (v.status === AccreditationStatus.Active) {
    if (at < v.validFrom) return AccreditationStatus.Pending;
    if (at >= v.validUntil) return AccreditationStatus.Expired;
    return AccreditationStatus.Active;
  }
  return v.status;
}
