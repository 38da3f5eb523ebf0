import type { LedgerFacts, LedgerQuery, LedgerReader } from "@mobile-id/chain";
import {
  type Clock,
  type CredentialFormatHandler,
  type CredentialTypeDefinition,
  CREDENTIAL_TYPES,
  MobileIdError,
  type PresentationFormatHandler,
  VerificationCode,
  credentialTypeId,
  findCredentialType,
  registeredSchemaHash,
  parseEthrDid,
} from "@mobile-id/core";
import { getAddress, isAddress } from "ethers";
import type { SignatureVerifier } from "../crypto/es256k.ts";
import type { NonceStore } from "../nonceStore.ts";
import { CheckId, type IssuerPolicy, type SdJwtVcCheckId, type VerificationCheck, type VerifierLimits } from "../types.ts";

/** Everything a verification needs, resolved once when the verifier is created. */
export interface VerifierContext {
  readonly chainId: bigint;
  /** The descriptor's status registry, lower case. */
  readonly statusRegistry: string;
  readonly ledger: LedgerReader;
  readonly nonceStore: NonceStore;
  readonly clock: Clock;
  readonly limits: VerifierLimits;
  readonly policy: IssuerPolicy;
  readonly credentialFormats: readonly CredentialFormatHandler[];
  readonly presentationFormats: readonly PresentationFormatHandler[];
  readonly signatures: SignatureVerifier;
  /** Monotonic milliseconds, for the time budget. */
  readonly monotonicClock: () => number;
}

/**
 * One verification's time budget (`limits.maxVerificationMs`), started when the verification starts.
 *
 * @example
 * ```ts
 * const budget = startBudget(ctx);
 * if (budget.exceeded()) log.fail(check, VerificationCode.TIME_BUDGET_EXCEEDED, budget.message());
 * ```
 */
export interface TimeBudget {
  /** Milliseconds left (0 when spent). */
  remaining(): number;
  exceeded(): boolean;
  message(): string;
}

export function startBudget(ctx: VerifierContext): TimeBudget {
  const ms = ctx.limits.maxVerificationMs;
  const deadline = ctx.monotonicClock() + ms;
  return {
    remaining: () => Math.max(0, deadline - ctx.monotonicClock()),
    exceeded: () => ctx.monotonicClock() >= deadline,
    message: () => `the verification ran past its time budget of ${ms} ms`,
  };
}

/** Fails `check` with TIME_BUDGET_EXCEEDED when the budget is spent; true when it is. */
export function overBudget(budget: TimeBudget, log: CheckLog, check: CheckId | SdJwtVcCheckId, credential?: number): boolean {
  if (!budget.exceeded()) return false;
  log.fail(check, VerificationCode.TIME_BUDGET_EXCEEDED, budget.message(), credential);
  return true;
}

const TIMED_OUT = Symbol("timed out");

/** `promise`, or {@link TIMED_OUT} once `ms` have passed (the timer never keeps the process alive). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref?.();
  });
  // A read that fails after the budget ran out has nobody to report to.
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A credential type this software knows, with its ledger id and schema hash (computed once). */
export interface KnownType {
  readonly definition: CredentialTypeDefinition;
  readonly id: string;
  readonly schemaHash: string;
}

// Computed on first use, per type (reading and hashing a schema file): a one-shot `mid verify` needs one type,
// not all of them, and importing the verifier reads no file. Only known types are kept: names from presentations
// never grow the map.
const knownTypes = new Map<string, KnownType>();

/** The type named by `name` at the version its schema URI selects, or `undefined`. */
export function findKnownType(name: string, schemaUri: string): KnownType | undefined {
  const key = `${name}\n${schemaUri}`;
  let known = knownTypes.get(key);
  if (known === undefined) {
    const definition = CREDENTIAL_TYPES.find((d) => d.name === name && d.schemaUri === schemaUri);
    if (definition === undefined) return undefined;
    known = {
      definition,
      id: credentialTypeId(definition.name, definition.version).toLowerCase(),
      schemaHash: registeredSchemaHash(definition).toLowerCase(),
    };
    knownTypes.set(key, known);
  }
  return known;
}

/** Passed checks are immutable and alike: one shared object per (check, credential index) instead of one per call. */
const PASSED = new Map<string, VerificationCheck>();
function passed(check: CheckId | SdJwtVcCheckId, credential: number | undefined): VerificationCheck {
  const key = credential === undefined ? check : `${check}#${credential}`;
  let entry = PASSED.get(key);
  if (entry === undefined) {
    entry = Object.freeze(credential === undefined ? { check, passed: true } : { check, passed: true, credential });
    PASSED.set(key, entry);
  }
  return entry;
}

/** The checks that ran, in order. Verification stops at the first failure. */
export class CheckLog {
  readonly checks: VerificationCheck[] = [];

  pass(check: CheckId | SdJwtVcCheckId, credential?: number): void {
    // Credential indexes are bounded by maxCredentials; beyond a small bound, do not grow the shared table.
    this.checks.push(credential === undefined || credential < 64 ? passed(check, credential) : { check, passed: true, credential });
  }

  fail(check: CheckId | SdJwtVcCheckId, code: VerificationCode, message: string, credential?: number): false {
    this.checks.push(
      credential === undefined
        ? { check, passed: false, code, message }
        : { check, passed: false, code, message, credential },
    );
    return false;
  }

  get failedCode(): VerificationCode | undefined {
    const last = this.checks[this.checks.length - 1];
    return last !== undefined && !last.passed ? last.code : undefined;
  }
}

/**
 * Reads the ledger within the time budget. Any failure of the reader becomes a failed `ledger.read` check
 * (fail closed): `DID_TOO_COMPLEX` when the reader refused an identity's history as over its caps,
 * `TIME_BUDGET_EXCEEDED` when it did not answer in time, `LEDGER_UNAVAILABLE` otherwise.
 */
export async function readLedger(
  ctx: VerifierContext,
  query: LedgerQuery,
  log: CheckLog,
  budget: TimeBudget,
): Promise<LedgerFacts | undefined> {
  try {
    const facts = ctx.ledger.read(query);
    const result = facts instanceof Promise ? await within(facts, budget.remaining()) : facts;
    if (result === TIMED_OUT || budget.exceeded()) {
      log.fail(CheckId.LedgerRead, VerificationCode.TIME_BUDGET_EXCEEDED, `the ledger was not read within the time budget of ${ctx.limits.maxVerificationMs} ms`);
      return undefined;
    }
    log.pass(CheckId.LedgerRead);
    return result;
  } catch (e) {
    if (e instanceof MobileIdError && e.code === "DID_TOO_COMPLEX") {
      log.fail(CheckId.LedgerRead, VerificationCode.DID_TOO_COMPLEX, e.message);
      return undefined;
    }
    const reason = e instanceof MobileIdError ? e.message : "the ledger reader failed";
    log.fail(CheckId.LedgerRead, VerificationCode.LEDGER_UNAVAILABLE, reason);
    return undefined;
  }
}

/** The effective issuer policy: the request's overrides on the verifier's defaults, validated. */
export function effectivePolicy(base: IssuerPolicy, overrides: Partial<IssuerPolicy> | undefined): IssuerPolicy {
  if (overrides === undefined) return base;
  const policy: IssuerPolicy = {
    requireInForceNow: overrides.requireInForceNow ?? base.requireInForceNow,
    allowedIssuers: "allowedIssuers" in overrides ? overrides.allowedIssuers : base.allowedIssuers,
    acceptDeprecatedTypes: overrides.acceptDeprecatedTypes ?? base.acceptDeprecatedTypes,
  };
  return normalizePolicy(policy);
}

/** Checks a policy and writes its allow-list as lower-case addresses. Throws INVALID_ARGUMENT on misuse. */
export function normalizePolicy(policy: IssuerPolicy): IssuerPolicy {
  if (typeof policy.requireInForceNow !== "boolean" || typeof policy.acceptDeprecatedTypes !== "boolean") {
    throw new MobileIdError("INVALID_ARGUMENT", "issuer policy flags must be booleans");
  }
  if (policy.allowedIssuers === undefined) return policy;
  if (!Array.isArray(policy.allowedIssuers)) {
    throw new MobileIdError("INVALID_ARGUMENT", "allowedIssuers must be an array of DIDs or addresses");
  }
  const allowed = policy.allowedIssuers.map((entry: unknown) => {
    if (typeof entry === "string" && entry.startsWith("did:")) {
      const did = parseEthrDid(entry);
      if (did !== undefined) return did.address.toLowerCase();
    } else if (typeof entry === "string" && isAddress(entry)) {
      return getAddress(entry).toLowerCase();
    }
    throw new MobileIdError("INVALID_ARGUMENT", "allowedIssuers holds something that is not a did:ethr or an address", {
      details: { entry },
    });
  });
  return { ...policy, allowedIssuers: allowed };
}

/** Request credential type names, checked (misuse throws). */
export function checkRequestedTypes(types: unknown): ReadonlySet<string> {
  if (!Array.isArray(types) || types.length === 0) {
    throw new MobileIdError("INVALID_ARGUMENT", "credentialTypes must be a non-empty array of type names");
  }
  for (const t of types) {
    if (typeof t !== "string" || findCredentialType(t) === undefined) {
      throw new MobileIdError("UNKNOWN_CREDENTIAL_TYPE", "the request names an unknown credential type", {
        details: { type: t },
      });
    }
  }
  return new Set(types as string[]);
}
