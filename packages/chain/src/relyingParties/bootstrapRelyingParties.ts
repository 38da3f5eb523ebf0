import { type Signer, getAddress } from "ethers";
import {
  CREDENTIAL_TYPES,
  type CredentialTypeDefinition,
  type GoverningAuthority,
  MobileIdError,
  type NetworkDescriptor,
  claimsDigest,
  credentialTypeId,
  encodeClaimIdentifiers,
  loadSchema,
} from "@mobile-id/core";
import { sdJwtVcProfileOf } from "@mobile-id/core/sd-jwt-vc";
import type { BootstrapAccreditor } from "../bootstrapNetwork.ts";
import { connectContracts } from "../contracts.ts";
import { registerRelyingParty } from "./registerRelyingParty.ts";
import { setRelyingPartyClaims } from "./setRelyingPartyClaims.ts";

export interface BootstrapRelyingParty {
  /** Public display name and purpose, as holders will see them. */
  readonly name: string;
  readonly purpose: string;
  /** The relying party's identity key (only its address is used here). */
  readonly signer: Signer;
  /** The accreditor that registers it. */
  readonly registrar: GoverningAuthority;
  /**
   * Per credential type name (latest version), the claim paths it may ask for, or `"all"` for every claim the type
   * can present in either format (JWT-VC subject properties except `id`, SD-JWT VC disclosable claims, one
   * `age_equal_or_over.<n>` per threshold). Each type is granted by the accreditor that governs it.
   */
  readonly claims: Readonly<Record<string, readonly string[] | "all">>;
}

/**
 * Every claim path a credential type can present: the JWT-VC subject's properties (except `id`) and the SD-JWT VC
 * profile's disclosable claims, each `age_equal_or_over` threshold its own path (`age_equal_or_over.19`), since a
 * request names the threshold it asks for and registrations match paths exactly.
 */
function allClaimsOf(type: CredentialTypeDefinition): string[] {
  const paths = new Set(Object.keys((loadSchema(type)["properties"] ?? {}) as object).filter((k) => k !== "id"));
  const profile = sdJwtVcProfileOf(type.name);
  for (const claim of profile?.claims ?? []) {
    if (claim === "age_equal_or_over") for (const t of profile?.ageThresholds ?? []) paths.add(`${claim}.${t}`);
    else paths.add(claim);
  }
  return [...paths].sort();
}

export interface BootstrapRelyingPartiesParameters {
  readonly descriptor: Pick<NetworkDescriptor, "contracts">;
  readonly accreditors: Readonly<Record<GoverningAuthority, BootstrapAccreditor>>;
  readonly relyingParties: readonly BootstrapRelyingParty[];
  /** Length of the registration window, in seconds. Default: 5 years. */
  readonly validity?: number;
  readonly onStep?: (step: string, changed: boolean) => void;
}

const YEAR = 365 * 24 * 60 * 60;

/**
 * Registers development relying parties (e.g. the verifier counter) and grants each the claims listed, each
 * type by its governing accreditor. Idempotent: a registered party is not registered again, and a type whose
 * permitted claims already match is left alone. Run after `bootstrapNetwork` (the accreditors must be in force).
 *
 * @example
 * ```ts
 * await bootstrapRelyingParties({ descriptor, accreditors: roster.accreditors, relyingParties: roster.relyingParties });
 * ```
 */
export async function bootstrapRelyingParties(params: BootstrapRelyingPartiesParameters): Promise<readonly string[]> {
  const changed: string[] = [];
  const step = async (label: string, done: boolean, act: () => Promise<unknown>) => {
    if (!done) {
      await act();
      changed.push(label);
    }
    params.onStep?.(label, !done);
  };
  for (const rp of params.relyingParties) {
    const registrar = params.accreditors[rp.registrar];
    const provider = registrar.signer.provider;
    if (provider == null) throw new MobileIdError("INVALID_ARGUMENT", "the accreditor signer has no provider");
    const registry = connectContracts({ descriptor: params.descriptor, runner: provider }).relyingPartyRegistry;
    const identity = getAddress(await rp.signer.getAddress());
    const grants = Object.entries(rp.claims).map(([typeName, claims]) => {
      const type = CREDENTIAL_TYPES.filter((t) => t.name === typeName).at(-1);
      if (type === undefined) {
        throw new MobileIdError("UNKNOWN_CREDENTIAL_TYPE", "unknown credential type", { details: { typeName } });
      }
      const paths = claims === "all" ? allClaimsOf(type) : claims;
      return { type, id: credentialTypeId(type.name, type.version), paths };
    });
    const own = grants.filter((g) => g.type.governedBy === rp.registrar);
    if (own.length === 0) {
      throw new MobileIdError("INVALID_ARGUMENT", "a relying party needs at least one type its registrar governs", {
        details: { name: rp.name, registrar: rp.registrar },
      });
    }
    const record = await registry.getFunction("relyingParty")(identity);
    const now = (await provider.getBlock("latest"))?.timestamp ?? Math.floor(Date.now() / 1000);
    await step(`register relying party ${rp.name}`, Number(record.status) !== 0, () =>
      registerRelyingParty({
        descriptor: params.descriptor,
        signer: registrar.signer,
        relyingParty: identity,
        name: rp.name,
        purpose: rp.purpose,
        validFrom: now,
        validUntil: now + (params.validity ?? 5 * YEAR),
        types: own.map((g) => ({ credentialTypeId: g.id, claims: g.paths })),
      }),
    );
    for (const g of grants) {
      const at = (await provider.getBlock("latest"))?.timestamp ?? now;
      const current = await registry.getFunction("claimsAt")(identity, g.id, at);
      const wanted = claimsDigest(encodeClaimIdentifiers(g.paths));
      const granter = params.accreditors[g.type.governedBy];
      await step(`grant ${rp.name} claims of ${g.type.name}`, (current.claimsDigest as string).toLowerCase() === wanted, () =>
        setRelyingPartyClaims({ descriptor: params.descriptor, signer: granter.signer, relyingParty: identity, credentialTypeId: g.id, claims: g.paths }),
      );
    }
  }
  return changed;
}
