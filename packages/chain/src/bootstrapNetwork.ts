import { type Contract, type Signer, getAddress, isError } from "ethers";
import {
  CREDENTIAL_TYPES,
  type GoverningAuthority,
  MobileIdError,
  type NetworkDescriptor,
  ReasonCode,
  credentialTypeId,
  registeredSchemaHash,
} from "@mobile-id/core";
import { connectContracts } from "./contracts.ts";

/** Party roles as the accreditation registry numbers them. */
export const Role = { None: 0, Root: 1, Accreditor: 2, Issuer: 3 } as const;

export interface BootstrapAccreditor {
  readonly name: string;
  /** The accreditor identity's owner key (the identity is its address). */
  readonly signer: Signer;
}

export interface BootstrapIssuer {
  /** Short URL-safe id for services (e.g. `snu`). */
  readonly slug: string;
  readonly name: string;
  readonly signer: Signer;
  readonly accreditor: GoverningAuthority;
  /** Credential type names (latest version of each) this issuer is accredited for. */
  readonly credentialTypes: readonly string[];
}

export interface BootstrapNetworkParameters {
  readonly descriptor: NetworkDescriptor;
  /** The root identity's owner key. */
  readonly root: Signer;
  readonly accreditors: Readonly<Record<GoverningAuthority, BootstrapAccreditor>>;
  readonly issuers: readonly BootstrapIssuer[];
  /** Length of accreditor and issuer windows, in seconds. Defaults: 10 and 5 years. */
  readonly accreditorValidity?: number;
  readonly issuerValidity?: number;
  /** Progress: called once per step with what it did, or that it found it done already. */
  readonly onStep?: (step: string, changed: boolean) => void;
}

export interface BootstrapNetworkReturnType {
  /** Steps that changed the ledger (empty when everything was in place). */
  readonly changed: readonly string[];
}

const YEAR = 365 * 24 * 60 * 60;

/**
 * Registers the article's authorities, the four credential types, and the given issuers with their
 * accreditations. Idempotent: every step first reads the ledger and is skipped when already done; a type
 * found on the ledger with another schema hash or governing accreditor is an error, not overwritten.
 *
 * @example
 * ```ts
 * await bootstrapNetwork({ descriptor, root, accreditors, issuers, onStep: (s, c) => console.log(c ? "✓" : "·", s) });
 * ```
 */
export async function bootstrapNetwork(params: BootstrapNetworkParameters): Promise<BootstrapNetworkReturnType> {
  const { descriptor, root } = params;
  const provider = root.provider;
  if (provider == null) throw new MobileIdError("INVALID_ARGUMENT", "the root signer has no provider");
  const registry = connectContracts({ descriptor, runner: provider }).accreditationRegistry;
  const changed: string[] = [];
  const step = async (label: string, done: boolean, act: () => Promise<void>) => {
    if (!done) {
      await act();
      changed.push(label);
    }
    params.onStep?.(label, !done);
  };
  const send = async (contract: Contract, signer: Signer, method: string, args: unknown[]) => {
    const tx = await (contract.connect(signer) as Contract).getFunction(method)(...args);
    const receipt = await tx.wait();
    if (receipt == null || receipt.status !== 1) {
      throw new MobileIdError("LEDGER_REJECTED", `${method} failed`, { details: { hash: tx.hash } });
    }
  };
  const roleOf = async (address: string) => Number((await registry.getFunction("party")(address)).role);
  const latest = await provider.getBlock("latest");
  const now = latest?.timestamp ?? Math.floor(Date.now() / 1000);
  const accreditorUntil = now + (params.accreditorValidity ?? 10 * YEAR);
  const issuerUntil = now + (params.issuerValidity ?? 5 * YEAR);

  // 1. Accreditors.
  const accreditorAddresses = {} as Record<GoverningAuthority, string>;
  for (const [key, acc] of Object.entries(params.accreditors) as [GoverningAuthority, BootstrapAccreditor][]) {
    const address = getAddress(await acc.signer.getAddress());
    accreditorAddresses[key] = address;
    const role = await roleOf(address);
    if (role !== Role.None && role !== Role.Accreditor) {
      throw new MobileIdError("INVALID_ARGUMENT", "accreditor identity is registered in another role", {
        details: { address, role },
      });
    }
    await step(`register accreditor ${acc.name}`, role === Role.Accreditor, () =>
      send(registry, root, "registerAccreditor", [address, acc.name]),
    );
  }

  // 2. Credential types, each governed by its accreditor.
  for (const type of CREDENTIAL_TYPES) {
    const id = credentialTypeId(type.name, type.version);
    const hash = registeredSchemaHash(type);
    const governing = accreditorAddresses[type.governedBy];
    const onChain = await readCredentialType(registry, id);
    if (onChain !== undefined && (onChain.schemaHash !== hash || getAddress(onChain.governingAccreditor) !== governing)) {
      throw new MobileIdError("INVALID_ARGUMENT", "credential type on the ledger differs from this software's", {
        details: { type: type.name, ledgerSchemaHash: onChain.schemaHash, localSchemaHash: hash },
        hint:
          "this ledger was bootstrapped by another version of the schemas; a changed schema is a new type version on a " +
          "real network. For a development data directory made by an earlier version, start over: stop the services and " +
          "remove the data directory (default .data)",
      });
    }
    await step(`register type ${type.name} v${type.version}`, onChain !== undefined, () =>
      send(registry, root, "registerCredentialType", [type.name, type.version, hash, type.schemaUri, governing]),
    );
  }

  // 3. Accredit each accreditor for the types it governs.
  for (const [key, acc] of Object.entries(params.accreditors) as [GoverningAuthority, BootstrapAccreditor][]) {
    const address = accreditorAddresses[key];
    const missing: string[] = [];
    for (const type of CREDENTIAL_TYPES.filter((t) => t.governedBy === key)) {
      const id = credentialTypeId(type.name, type.version);
      const record = await registry.getFunction("accreditation")(address, id);
      if (Number(record.status) === 0) missing.push(id);
    }
    await step(`accredit ${acc.name}`, missing.length === 0, () =>
      send(registry, root, "accreditAccreditor", [address, missing, now, accreditorUntil, ReasonCode.GRANTED]),
    );
  }

  // 4. Issuers, registered and accredited by their accreditor.
  for (const issuer of params.issuers) {
    const address = getAddress(await issuer.signer.getAddress());
    const acc = params.accreditors[issuer.accreditor];
    const role = await roleOf(address);
    if (role !== Role.None && role !== Role.Issuer) {
      throw new MobileIdError("INVALID_ARGUMENT", "issuer identity is registered in another role", {
        details: { address, role },
      });
    }
    await step(`register issuer ${issuer.name}`, role === Role.Issuer, () =>
      send(registry, acc.signer, "registerIssuer", [accreditorAddresses[issuer.accreditor], address, issuer.name]),
    );
    for (const typeName of issuer.credentialTypes) {
      const type = CREDENTIAL_TYPES.find((t) => t.name === typeName);
      if (type === undefined) {
        throw new MobileIdError("UNKNOWN_CREDENTIAL_TYPE", "unknown credential type", { details: { typeName } });
      }
      const id = credentialTypeId(type.name, type.version);
      const record = await registry.getFunction("accreditation")(address, id);
      await step(`accredit ${issuer.name} for ${type.name}`, Number(record.status) !== 0, () =>
        send(registry, acc.signer, "accreditIssuer", [
          accreditorAddresses[issuer.accreditor],
          address,
          id,
          now,
          issuerUntil,
          ReasonCode.GRANTED,
        ]),
      );
    }
  }
  return { changed };
}

async function readCredentialType(
  registry: Contract,
  id: string,
): Promise<{ schemaHash: string; governingAccreditor: string } | undefined> {
  try {
    const t = await registry.getFunction("credentialType")(id);
    return { schemaHash: t.schemaHash as string, governingAccreditor: t.governingAccreditor as string };
  } catch (e) {
    if (isError(e, "CALL_EXCEPTION") && e.revert?.name === "CredentialTypeRegistryUnknownType") return undefined;
    throw e;
  }
}
