import { randomBytes, randomInt } from "node:crypto";
import { type Contract, HDNodeWallet, Mnemonic, type Provider, type Signer, Wallet, computeAddress, getBytes } from "ethers";
import { secp256k1 } from "@noble/curves/secp256k1";
import { DEV_MNEMONIC, LedgerMirror, type LedgerRpc, StatusPurpose, connectContracts } from "@mobile-id/chain";
import { type TestNetwork, startTestNetwork } from "@mobile-id/chain/testing";
import {
  type Clock,
  JWT_VC_CONTEXTS,
  ReasonCode,
  createMobileIdStatusEntry,
  credentialTypeId,
  findCredentialType,
  settableClock,
  toEthrDid,
  toPublicKeyEthrDid,
} from "@mobile-id/core";
import { type CreateVerifierParameters, type Verifier, createVerifier } from "../createVerifier.ts";
import { createMemoryNonceStore } from "../nonceStore.ts";
import type { VerificationRequest } from "../types.ts";
import { randomPrivateKey, signJwt, type SignJwtOptions } from "./jws.ts";

/**
 * Test support for the verifier: the in-process chain with the dev roster, one revocation + suspension list
 * pair per dev issuer, a mirror synced on demand, a settable clock, and helpers that write credentials and
 * presentations exactly as the core README specifies (and let a test break any part of them).
 */

export const VC_CONTEXT = "https://www.w3.org/2018/credentials/v1";
export const DOMAIN = "library.snu.ac.kr";

/** Valid claims for each dev type (without `id`). */
export const SAMPLE_CLAIMS: Readonly<Record<string, Record<string, unknown>>> = {
  StudentIDCredential: {
    familyName: "김",
    givenName: "민준",
    studentNumber: "2026-12345",
    institution: "서울대학교",
    enrollmentStatus: "enrolled",
  },
  CivilServantIDCredential: { familyName: "이", givenName: "서연", employeeNumber: "SMG-0042", agency: "서울특별시" },
  DriversLicenseCredential: {
    familyName: "박",
    givenName: "지훈",
    birthDate: "1990-04-01",
    licenseNumber: "11-24-123456-01",
    licenseClasses: ["2-ordinary"],
  },
  ResidentIDCredential: { familyName: "최", givenName: "수아", birthDate: "2000-01-15" },
};

export interface TestHolder {
  readonly privateKey: Uint8Array;
  /** Compressed public key, 0x-hex. */
  readonly publicKey?: string;
  readonly did: string;
  readonly address: string;
}

export interface TestIssuer {
  readonly wallet: HDNodeWallet;
  readonly did: string;
  readonly address: string;
  readonly typeName: string;
  readonly revocationListId: bigint;
  readonly suspensionListId: bigint;
}

export interface IssueParameters {
  readonly issuer?: TestIssuer;
  readonly holder: TestHolder;
  readonly claims?: Record<string, unknown>;
  readonly nbf?: number;
  readonly exp?: number;
  readonly index?: bigint;
  /** Edit the payload before signing (to break it). */
  readonly mutate?: (payload: Record<string, unknown>) => void;
  readonly header?: Record<string, unknown>;
  /** Sign with this key instead of the issuer's owner key. */
  readonly signingKey?: Uint8Array;
  readonly sign?: SignJwtOptions;
}

export interface PresentParameters {
  readonly holder: TestHolder;
  readonly credentials: readonly unknown[];
  readonly request: VerificationRequest;
  readonly exp?: number;
  readonly mutate?: (payload: Record<string, unknown>) => void;
  readonly header?: Record<string, unknown>;
  readonly signingKey?: Uint8Array;
  readonly sign?: SignJwtOptions;
}

export interface TestKit {
  readonly net: TestNetwork;
  readonly contracts: ReturnType<typeof connectContracts>;
  readonly chainId: bigint;
  readonly mirror: LedgerMirror;
  readonly issuers: readonly TestIssuer[];
  /** The verifier's clock: the chain's time when the kit started, moved by `setNow`/`advance`. */
  readonly clock: Clock;
  now(): number;
  setNow(t: number): void;
  /** Moves the chain's time and the kit clock forward together. */
  advanceChain(seconds: number): Promise<void>;
  newHolder(): TestHolder;
  issuerFor(typeName: string): TestIssuer;
  issue(params: IssueParameters): { jwt: string; index: bigint; payload: Record<string, unknown> };
  request(overrides?: Partial<VerificationRequest>): VerificationRequest;
  present(params: PresentParameters): string;
  verifier(overrides?: Partial<CreateVerifierParameters>): Verifier;
  /** Catches the mirror up with the chain. */
  sync(): Promise<void>;
  /** Sends `method(...args)` on the status registry from `signer` and waits for it. */
  status(signer: Signer, method: string, args: readonly unknown[]): Promise<void>;
  accreditation(signer: Signer, method: string, args: readonly unknown[]): Promise<void>;
  didRegistry(signer: Signer, method: string, args: readonly unknown[]): Promise<void>;
  /** Sends 10 ETH from a dev account (keys created in tests hold none). */
  fund(address: string): Promise<void>;
  /** Registers and accredits a new issuer for `typeName` (by its governing accreditor) with its own list pair. */
  addIssuer(typeName: string, options?: { readonly sizeLog2?: number }): Promise<TestIssuer>;
  close(): Promise<void>;
}

function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`test kit: no ${what}`);
  return value;
}

async function latestTimestamp(provider: Provider): Promise<number> {
  return must(await provider.getBlock("latest"), "latest block").timestamp;
}

/** Creates a revocation list and a suspension list for `issuer` and returns their ids. */
async function createListPair(registry: Contract, signer: Signer, issuer: string, sizeLog2: number): Promise<[bigint, bigint]> {
  const ids: bigint[] = [];
  for (const purpose of [StatusPurpose.Revocation, StatusPurpose.Suspension]) {
    await send(registry, signer, "createList", [issuer, purpose, sizeLog2, []]);
    ids.push((await registry.getFunction("listCount")()) as bigint);
  }
  return [must(ids[0], "list"), must(ids[1], "list")];
}

async function send(contract: Contract, signer: Signer, method: string, args: readonly unknown[]): Promise<void> {
  const tx = await (contract.connect(signer) as Contract).getFunction(method)(...args);
  const receipt = await tx.wait();
  if (receipt?.status !== 1) throw new Error(`${method} failed`);
}

/**
 * Starts the in-process network (or uses `network`, e.g. a real anvil node deployed and bootstrapped the
 * same way) and prepares the issuers' status lists.
 */
export async function startTestKit(options: { readonly network?: TestNetwork } = {}): Promise<TestKit> {
  const net = options.network ?? (await startTestNetwork());
  const provider = net.chain.provider;
  const chainId = BigInt(net.descriptor.chainId);
  const contracts = connectContracts({ descriptor: net.descriptor, runner: provider });
  const issuers: TestIssuer[] = [];
  for (const issuer of net.roster.issuers) {
    const wallet = issuer.signer as HDNodeWallet;
    const address = wallet.address;
    const [revocationListId, suspensionListId] = await createListPair(contracts.statusRegistry, wallet, address, 17);
    issuers.push({
      wallet,
      did: toEthrDid(chainId, address),
      address,
      typeName: must(issuer.credentialTypes[0], "issuer type"),
      revocationListId,
      suspensionListId,
    });
  }
  const clock = settableClock(await latestTimestamp(provider));
  // The in-process chain is an ethers BrowserProvider, typed as a plain Provider by the test helper.
  const mirror = new LedgerMirror({ rpc: provider as unknown as LedgerRpc, descriptor: net.descriptor, pollIntervalMs: 3_600_000 });
  await mirror.sync();
  const usedIndexes = new Set<bigint>();
  const funder = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0/19").connect(provider);

  const kit: TestKit = {
    net,
    contracts,
    chainId,
    mirror,
    issuers,
    clock,
    now: () => clock(),
    setNow: (t) => clock.set(t),
    advanceChain: async (seconds) => {
      await net.chain.increaseTime(seconds);
      clock.advance(seconds);
    },
    newHolder: () => {
      const privateKey = randomPrivateKey();
      const publicKey = `0x${Buffer.from(secp256k1.getPublicKey(privateKey, true)).toString("hex")}`;
      const did = toPublicKeyEthrDid(chainId, publicKey);
      return { privateKey, publicKey, did, address: computeAddress(publicKey) };
    },
    issuerFor: (typeName) => {
      const found = issuers.find((i) => i.typeName === typeName);
      if (found === undefined) throw new Error(`no dev issuer for ${typeName}`);
      return found;
    },
    issue: (p) => {
      const issuer = p.issuer ?? must(issuers[0], "issuer");
      const type = must(findCredentialType(issuer.typeName), "type");
      let index = p.index;
      if (index === undefined) {
        do index = BigInt(randomInt(0, 1 << 17));
        while (usedIndexes.has(index));
        usedIndexes.add(index);
      }
      const payload: Record<string, unknown> = {
        iss: issuer.did,
        sub: p.holder.did,
        nbf: p.nbf ?? clock(),
        exp: p.exp ?? clock() + 365 * 24 * 3600,
        jti: `urn:uuid:${randomBytes(16).toString("hex")}`,
        vc: {
          "@context": [...JWT_VC_CONTEXTS],
          type: ["VerifiableCredential", type.name],
          credentialSchema: { id: type.schemaUri, type: "JsonSchema" },
          credentialSubject: { ...(p.claims ?? SAMPLE_CLAIMS[type.name]) },
          credentialStatus: createMobileIdStatusEntry(chainId, {
            registry: net.descriptor.contracts.statusRegistry.address,
            revocationListId: issuer.revocationListId,
            suspensionListId: issuer.suspensionListId,
            index,
          }),
        },
      };
      p.mutate?.(payload);
      const key = p.signingKey ?? getBytes(issuer.wallet.privateKey);
      return { jwt: signJwt(p.header ?? { alg: "ES256K", typ: "JWT" }, payload, key, p.sign), index, payload };
    },
    request: (overrides = {}) => ({
      type: "MobileIdPresentationRequest",
      challenge: randomBytes(32).toString("base64url"),
      domain: DOMAIN,
      credentialTypes: ["StudentIDCredential", "CivilServantIDCredential", "DriversLicenseCredential", "ResidentIDCredential"],
      expiresAt: clock() + 300,
      ...overrides,
    }),
    present: (p) => {
      const payload: Record<string, unknown> = {
        iss: p.holder.did,
        aud: p.request.domain,
        nonce: p.request.challenge,
        nbf: clock() - 5,
        exp: p.exp ?? clock() + 300,
        jti: `urn:uuid:${randomBytes(16).toString("hex")}`,
        vp: {
          "@context": [VC_CONTEXT],
          type: ["VerifiablePresentation"],
          verifiableCredential: [...p.credentials],
        },
      };
      p.mutate?.(payload);
      return signJwt(p.header ?? { alg: "ES256K", typ: "JWT" }, payload, p.signingKey ?? p.holder.privateKey, p.sign);
    },
    verifier: (overrides = {}) =>
      createVerifier({
        descriptor: net.descriptor,
        ledger: mirror,
        nonceStore: createMemoryNonceStore({ clock }),
        clock,
        ...overrides,
      }),
    sync: async () => {
      await mirror.sync();
    },
    status: (signer, method, args) => send(contracts.statusRegistry, signer, method, args),
    accreditation: (signer, method, args) => send(contracts.accreditationRegistry, signer, method, args),
    didRegistry: (signer, method, args) => send(contracts.didRegistry, signer, method, args),
    fund: async (address) => {
      const tx = await funder.sendTransaction({ to: address, value: 10n ** 19n });
      await tx.wait();
    },
    addIssuer: async (typeName, options = {}) => {
      const type = must(findCredentialType(typeName), "type");
      const accreditor = net.roster.accreditors[type.governedBy].signer;
      const accreditorAddress = await accreditor.getAddress();
      const wallet = Wallet.createRandom().connect(provider);
      await kit.fund(wallet.address);
      const head = await latestTimestamp(provider);
      await send(contracts.accreditationRegistry, accreditor, "registerIssuer", [accreditorAddress, wallet.address, `test issuer ${wallet.address.slice(0, 8)}`]);
      await send(contracts.accreditationRegistry, accreditor, "accreditIssuer", [
        accreditorAddress,
        wallet.address,
        credentialTypeId(type.name, type.version),
        head,
        head + 2 * 365 * 24 * 3600,
        ReasonCode.GRANTED,
      ]);
      const [revocationListId, suspensionListId] = await createListPair(contracts.statusRegistry, wallet, wallet.address, options.sizeLog2 ?? 17);
      clock.set(Math.max(clock(), await latestTimestamp(provider)));
      return { wallet, did: toEthrDid(chainId, wallet.address), address: wallet.address, typeName, revocationListId, suspensionListId };
    },
    close: async () => {
      await mirror.stop();
      await net.chain.close();
    },
  };
  return kit;
}

