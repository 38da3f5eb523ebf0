import { HDNodeWallet, Mnemonic, type Provider, type Signer } from "ethers";
import type { GoverningAuthority } from "@mobile-id/core";
import type { BootstrapAccreditor, BootstrapIssuer } from "./bootstrapNetwork.ts";
import type { BootstrapRelyingParty } from "./relyingParties/bootstrapRelyingParties.ts";

/**
 * The public development mnemonic that Hardhat and anvil fund by default. Its keys protect nothing: use them
 * only on a local chain (chain id 31337). A real network's keys come from each authority's own key store.
 */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export interface DevRoster {
  readonly root: Signer;
  readonly rootName: string;
  readonly accreditors: Readonly<Record<GoverningAuthority, BootstrapAccreditor>>;
  readonly issuers: readonly BootstrapIssuer[];
  /** Development relying parties (account 9: the services' verifier counter). */
  readonly relyingParties: readonly BootstrapRelyingParty[];
}

function devWallet(index: number, provider: Provider): HDNodeWallet {
  const wallet = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`);
  return wallet.connect(provider);
}

/**
 * The article's authorities and one sample issuer per credential type, on the development accounts:
 * 0 is the root; 1-4 the accreditors; 5-8 the issuers; 9 the verifier counter, a registered relying party.
 *
 * @example
 * ```ts
 * const roster = devRoster(provider);
 * await bootstrapNetwork({ descriptor, ...roster });
 * ```
 */
export function devRoster(provider: Provider): DevRoster {
  const w = (i: number) => devWallet(i, provider);
  return {
    root: w(0),
    rootName: "행정안전부 Ministry of the Interior and Safety (governance root)",
    accreditors: {
      education: { name: "교육부 Ministry of Education", signer: w(1) },
      personnel: { name: "인사혁신처 Ministry of Personnel Management", signer: w(2) },
      police: { name: "경찰청 Korean National Police Agency", signer: w(3) },
      interior: { name: "행정안전부 Ministry of the Interior and Safety (resident registration)", signer: w(4) },
    },
    issuers: [
      {
        slug: "snu",
        name: "서울대학교 Seoul National University",
        signer: w(5),
        accreditor: "education",
        credentialTypes: ["StudentIDCredential"],
      },
      {
        slug: "seoul",
        name: "서울특별시 Seoul Metropolitan Government",
        signer: w(6),
        accreditor: "personnel",
        credentialTypes: ["CivilServantIDCredential"],
      },
      {
        slug: "seoul-license",
        name: "도로교통공단 서울운전면허시험장 Seoul Driver's License Agency",
        signer: w(7),
        accreditor: "police",
        credentialTypes: ["DriversLicenseCredential"],
      },
      {
        slug: "jongno",
        name: "종로구청 Jongno-gu Office",
        signer: w(8),
        accreditor: "interior",
        credentialTypes: ["ResidentIDCredential"],
      },
    ],
    relyingParties: [
      {
        name: "모바일 신분증 검증 창구 mobile-id verifier counter (development)",
        purpose: "신분 확인 데모 Identity check at the demonstration counter",
        signer: w(9),
        registrar: "interior",
        // The development counter accepts every type and shows what it received: it may ask for every claim.
        claims: {
          ResidentIDCredential: "all",
          StudentIDCredential: "all",
          CivilServantIDCredential: "all",
          DriversLicenseCredential: "all",
        },
      },
    ],
  };
}
