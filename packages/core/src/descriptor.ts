import { readFile } from "node:fs/promises";
import { Ajv, type ValidateFunction } from "ajv";
import { type TypedDataDomain, getAddress, verifyTypedData } from "ethers";
import { MobileIdError } from "./errors.ts";

/**
 * The network descriptor: the one file from which every component configures itself. It names the chain,
 * the contracts (address, deployment block, runtime code hash) and the root, and is signed by the root's key
 * (EIP-712). Components are set up to trust one root key out of band and refuse any descriptor that does not
 * verify against it.
 */
export const DESCRIPTOR_FORMAT = "mobile-id/network-descriptor@1";

export interface ContractRef {
  readonly address: string;
  readonly deployBlock: number;
  /** keccak-256 of the deployed runtime code. */
  readonly codeHash: string;
}

export interface NetworkContracts {
  readonly didRegistry: ContractRef;
  readonly accreditationRegistry: ContractRef;
  readonly statusRegistry: ContractRef;
  /** Registered relying parties (verifiers), governed by the accreditation registry's root and accreditors. */
  readonly relyingPartyRegistry: ContractRef;
}

export interface UnsignedNetworkDescriptor {
  readonly format: typeof DESCRIPTOR_FORMAT;
  readonly name: string;
  readonly chainId: number;
  /** Where the deployer reached the ledger; a component may use its own node of the same chain instead. */
  readonly rpcUrl: string;
  readonly root: { readonly did: string; readonly address: string };
  readonly contracts: NetworkContracts;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
}

export interface DescriptorProof {
  readonly type: "EIP712";
  readonly signer: string;
  readonly signatureValue: string;
}

export interface NetworkDescriptor extends UnsignedNetworkDescriptor {
  readonly proof: DescriptorProof;
}

/** The minimal signer shape (an ethers `Signer` fits). */
export interface TypedDataSigner {
  getAddress(): Promise<string>;
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, { name: string; type: string }[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

const EIP712_TYPES = {
  Contract: [
    { name: "address", type: "address" },
    { name: "deployBlock", type: "uint64" },
    { name: "codeHash", type: "bytes32" },
  ],
  NetworkDescriptor: [
    { name: "format", type: "string" },
    { name: "name", type: "string" },
    { name: "chainId", type: "uint256" },
    { name: "rpcUrl", type: "string" },
    { name: "rootDid", type: "string" },
    { name: "rootAddress", type: "address" },
    { name: "didRegistry", type: "Contract" },
    { name: "accreditationRegistry", type: "Contract" },
    { name: "statusRegistry", type: "Contract" },
    { name: "relyingPartyRegistry", type: "Contract" },
    { name: "issuedAt", type: "uint64" },
  ],
};

function eip712Domain(chainId: number): TypedDataDomain {
  return { name: "mobile-id network descriptor", version: "1", chainId };
}

function eip712Value(d: UnsignedNetworkDescriptor): Record<string, unknown> {
  return {
    format: d.format,
    name: d.name,
    chainId: d.chainId,
    rpcUrl: d.rpcUrl,
    rootDid: d.root.did,
    rootAddress: d.root.address,
    didRegistry: d.contracts.didRegistry,
    accreditationRegistry: d.contracts.accreditationRegistry,
    statusRegistry: d.contracts.statusRegistry,
    relyingPartyRegistry: d.contracts.relyingPartyRegistry,
    issuedAt: d.issuedAt,
  };
}

const address = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" };
const contractRef = {
  type: "object",
  additionalProperties: false,
  required: ["address", "deployBlock", "codeHash"],
  properties: {
    address,
    deployBlock: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    codeHash: { type: "string", pattern: "^0x[0-9a-f]{64}$" },
  },
};
const descriptorSchema = {
  type: "object",
  additionalProperties: false,
  required: ["format", "name", "chainId", "rpcUrl", "root", "contracts", "issuedAt", "proof"],
  properties: {
    format: { const: DESCRIPTOR_FORMAT },
    name: { type: "string", minLength: 1, maxLength: 128 },
    chainId: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    rpcUrl: { type: "string", maxLength: 2048 },
    root: {
      type: "object",
      additionalProperties: false,
      required: ["did", "address"],
      properties: { did: { type: "string", maxLength: 128 }, address },
    },
    contracts: {
      type: "object",
      additionalProperties: false,
      required: ["didRegistry", "accreditationRegistry", "statusRegistry", "relyingPartyRegistry"],
      properties: {
        didRegistry: contractRef,
        accreditationRegistry: contractRef,
        statusRegistry: contractRef,
        relyingPartyRegistry: contractRef,
      },
    },
    issuedAt: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    proof: {
      type: "object",
      additionalProperties: false,
      required: ["type", "signer", "signatureValue"],
      properties: {
        type: { const: "EIP712" },
        signer: address,
        signatureValue: { type: "string", pattern: "^0x[0-9a-fA-F]{130}$" },
      },
    },
  },
} as const;

// Compiled on first use, not when core is imported, and not checked against the draft-07 meta-schema (a
// constant of this file, checked by strict mode when compiled): both cost every `mid` process startup time.
let compiledShape: ValidateFunction | undefined;
const shapeValidator = (): ValidateFunction =>
  (compiledShape ??= new Ajv({ allErrors: false, strict: true, validateSchema: false }).compile(descriptorSchema));

export interface SignNetworkDescriptorParameters {
  readonly descriptor: UnsignedNetworkDescriptor;
  /** The root's key. */
  readonly signer: TypedDataSigner;
}

/**
 * Signs a descriptor with the root's key (EIP-712, domain bound to the descriptor's chain id).
 *
 * @example
 * ```ts
 * const signed = await signNetworkDescriptor({ descriptor, signer: rootWallet });
 * ```
 */
export async function signNetworkDescriptor(params: SignNetworkDescriptorParameters): Promise<NetworkDescriptor> {
  const { descriptor, signer } = params;
  const signatureValue = await signer.signTypedData(
    eip712Domain(descriptor.chainId),
    EIP712_TYPES,
    eip712Value(descriptor),
  );
  return { ...descriptor, proof: { type: "EIP712", signer: getAddress(await signer.getAddress()), signatureValue } };
}

export interface VerifyNetworkDescriptorParameters {
  /** The parsed JSON, of unknown shape. */
  readonly descriptor: unknown;
  /** The root key(s) this component was set up to trust. */
  readonly trustedRootKeys: readonly string[];
}

/**
 * Checks a descriptor's shape strictly (no unknown fields) and its signature against the trusted root keys,
 * and returns it typed. Throws `DESCRIPTOR_INVALID`, `DESCRIPTOR_SIGNATURE_INVALID` or
 * `DESCRIPTOR_UNTRUSTED_SIGNER`.
 *
 * @example
 * ```ts
 * const descriptor = verifyNetworkDescriptor({ descriptor: JSON.parse(text), trustedRootKeys: [rootKey] });
 * ```
 */
export function verifyNetworkDescriptor(params: VerifyNetworkDescriptorParameters): NetworkDescriptor {
  const { descriptor, trustedRootKeys } = params;
  if (trustedRootKeys.length === 0) {
    throw new MobileIdError("INVALID_ARGUMENT", "no trusted root key configured", {
      hint: "pass the root key address this component should trust (e.g. --trust-root 0x…)",
    });
  }
  const validateShape = shapeValidator();
  if (!validateShape(descriptor)) {
    throw new MobileIdError("DESCRIPTOR_INVALID", "network descriptor is malformed", {
      details: { errors: validateShape.errors?.map((e) => `${e.instancePath} ${e.message ?? ""}`.trim()) },
    });
  }
  const d = descriptor as unknown as NetworkDescriptor;
  const { proof, ...unsigned } = d;
  let recovered: string;
  try {
    recovered = verifyTypedData(eip712Domain(d.chainId), EIP712_TYPES, eip712Value(unsigned), proof.signatureValue);
  } catch (cause) {
    throw new MobileIdError("DESCRIPTOR_SIGNATURE_INVALID", "network descriptor signature does not parse", { cause });
  }
  if (recovered !== getAddress(proof.signer)) {
    throw new MobileIdError("DESCRIPTOR_SIGNATURE_INVALID", "network descriptor signature does not match its signer", {
      details: { claimed: proof.signer, recovered },
    });
  }
  const trusted = new Set(trustedRootKeys.map((k) => getAddress(k)));
  if (!trusted.has(recovered)) {
    throw new MobileIdError("DESCRIPTOR_UNTRUSTED_SIGNER", "network descriptor is not signed by a trusted root key", {
      details: { signer: recovered, trusted: [...trusted] },
      hint: "check that the descriptor comes from your network's root, or configure its root key",
    });
  }
  return d;
}

/**
 * Reads and verifies a descriptor file.
 *
 * @example
 * ```ts
 * const descriptor = await loadNetworkDescriptor({ path: "network.json", trustedRootKeys: [rootKey] });
 * ```
 */
export async function loadNetworkDescriptor(params: {
  readonly path: string;
  readonly trustedRootKeys: readonly string[];
}): Promise<NetworkDescriptor> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(params.path, "utf8"));
  } catch (cause) {
    throw new MobileIdError("DESCRIPTOR_INVALID", "cannot read the network descriptor", {
      cause,
      details: { path: params.path },
      hint: "run `pnpm deploy` first, or pass the descriptor your network published",
    });
  }
  return verifyNetworkDescriptor({ descriptor: parsed, trustedRootKeys: params.trustedRootKeys });
}
