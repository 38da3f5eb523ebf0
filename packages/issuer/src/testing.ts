/**
 * Test support for this package's tests (not exported from the package entry): a bootstrapped in-process
 * network, issuers on temporary databases, holders, claims, a settable clock, and a provider that "crashes".
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HDNodeWallet, Mnemonic, type Provider, SigningKey } from "ethers";
import { DEV_MNEMONIC } from "@mobile-id/chain";
import { type TestNetwork, startTestNetwork } from "@mobile-id/chain/testing";
import { DEV_CHAIN_ID, type SettableClock, settableClock, toEthrDid, toPublicKeyEthrDid } from "@mobile-id/core";
import { type CreateIssuerParameters, type Issuer, createIssuer } from "./createIssuer.ts";
import { createJwtSigner } from "./createJwtSigner.ts";

/** Development account `index` of the public development mnemonic (funded on the test chain). */
export function devWallet(index: number, provider: Provider): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`).connect(provider);
}

/** Seoul National University (account 5, StudentIDCredential) and its keys on the test network. */
export const SNU_INDEX = 5;
/** The key SNU names operator of its lists. */
export const OPERATOR_INDEX = 10;

export interface Testbed {
  readonly net: TestNetwork;
  readonly provider: Provider;
  readonly owner: HDNodeWallet;
  readonly operator: HDNodeWallet;
  readonly issuerDid: string;
  readonly clock: SettableClock;
  readonly dir: string;
  /** Opens an issuer for SNU on `databasePath` (a fresh file by default), with the owner signing JWTs. */
  open(overrides?: Partial<CreateIssuerParameters>): Promise<Issuer>;
  /** Moves the clock to the ledger's latest block time (plus `ahead` seconds). */
  syncClock(ahead?: number): Promise<void>;
}

let counter = 0;

export async function startTestbed(): Promise<Testbed> {
  const net = await startTestNetwork();
  const provider = net.chain.provider;
  const owner = devWallet(SNU_INDEX, provider);
  const operator = devWallet(OPERATOR_INDEX, provider);
  const latest = await provider.getBlock("latest");
  const clock = settableClock((latest?.timestamp ?? 0) + 1);
  const dir = mkdtempSync(join(tmpdir(), "mid-issuer-"));
  const issuerDid = toEthrDid(net.descriptor.chainId, owner.address);
  return {
    net,
    provider,
    owner,
    operator,
    issuerDid,
    clock,
    dir,
    open: (overrides = {}) =>
      createIssuer({
        descriptor: net.descriptor,
        provider,
        issuer: issuerDid,
        jwtSigner: createJwtSigner(owner.privateKey),
        operator,
        owner,
        databasePath: join(dir, `issuer-${++counter}.db`),
        clock,
        statusLists: { sizeLog2: 17 },
        ...overrides,
      }),
    syncClock: async (ahead = 1) => {
      const block = await provider.getBlock("latest");
      clock.set((block?.timestamp ?? 0) + ahead);
    },
  };
}

/** A fresh holder: its public-key did:ethr on the test chain. */
export function newHolder(chainId: number = DEV_CHAIN_ID): string {
  return toPublicKeyEthrDid(chainId, new SigningKey(randomBytes(32)).publicKey);
}

/** Valid StudentIDCredential claims (without `id`). */
export function studentClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    familyName: "김",
    givenName: "민준",
    studentNumber: "2026-12345",
    institution: "서울대학교",
    department: "컴퓨터공학부",
    degreeLevel: "bachelor",
    enrollmentStatus: "enrolled",
    birthDate: "2005-03-14",
    ...overrides,
  };
}

/**
 * A provider that behaves until a transaction is broadcast, then acts like a process that died: with
 * `after-broadcast` the transaction reaches the ledger first, with `before-broadcast` it never does; every
 * later call fails either way.
 */
export function crashingProvider(provider: Provider, mode: "before-broadcast" | "after-broadcast"): Provider {
  let dead = false;
  return new Proxy(provider, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (dead) return Promise.reject(new Error("simulated crash: the process is gone"));
        if (prop === "broadcastTransaction") {
          dead = true;
          if (mode === "before-broadcast") return Promise.reject(new Error("simulated crash before broadcast"));
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).then(() => {
            throw new Error("simulated crash after broadcast");
          });
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
