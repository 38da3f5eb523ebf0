/**
 * Test support (not exported): a bootstrapped in-process network with audit-worthy activity spread over
 * UTC days. Every transaction's block, hash and time is recorded, so that tests can state exactly what each
 * report must say.
 */
import { type Contract, HDNodeWallet, Mnemonic, type Signer, type TransactionReceipt, getAddress } from "ethers";
import { DEV_MNEMONIC, connectContracts } from "@mobile-id/chain";
import { type TestNetwork, startTestNetwork } from "@mobile-id/chain/testing";
import { ReasonCode, credentialTypeId } from "@mobile-id/core";

export const DAY = 86_400;
export const PUSAN_NAME = '부산대학교 "Pusan", National University';

export interface Step {
  readonly blockNumber: number;
  readonly hash: string;
  readonly timestamp: number;
  readonly from: string;
}

export interface Scenario {
  readonly net: TestNetwork;
  readonly types: { readonly student: string; readonly civil: string; readonly drivers: string; readonly resident: string };
  readonly who: {
    readonly root: string;
    readonly education: string;
    readonly personnel: string;
    readonly police: string;
    readonly interior: string;
    readonly snu: string;
    readonly seoul: string;
    readonly dla: string;
    readonly jongno: string;
    readonly pusan: string;
    readonly newRoot: string;
    readonly operator: string;
    readonly personnelNewKey: string;
  };
  /** Midnight (UTC) of the first activity day; day n starts at `day1 + (n - 1) * DAY`. */
  readonly day1: number;
  readonly steps: Readonly<Record<string, Step>>;
  /** The head after bootstrap, before the scenario's activity. */
  readonly bootstrapBlock: number;
  /** Pusan's window as granted, and its end after renewal. */
  readonly pusanWindow: { readonly from: number; readonly until: number; readonly renewedUntil: number };
}

const wallet = (net: TestNetwork, i: number) =>
  HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${i}`).connect(net.chain.provider);

export async function runScenario(): Promise<Scenario> {
  const net = await startTestNetwork();
  const provider = net.chain.provider;
  const c = connectContracts({ descriptor: net.descriptor, runner: provider });
  const { root } = net.roster;
  const education = net.roster.accreditors.education.signer;
  const personnel = net.roster.accreditors.personnel.signer;
  const police = net.roster.accreditors.police.signer;
  const [snuIssuer, seoulIssuer, dlaIssuer, jongnoIssuer] = net.roster.issuers;
  if (snuIssuer === undefined || seoulIssuer === undefined || dlaIssuer === undefined || jongnoIssuer === undefined) {
    throw new Error("the development roster changed");
  }
  const snu = snuIssuer.signer;
  const seoul = seoulIssuer.signer;
  const pusan = wallet(net, 9);
  const newRoot = wallet(net, 10);
  const operator = wallet(net, 11);
  const personnelNewKey = wallet(net, 12);
  const addr = async (s: Signer) => getAddress(await s.getAddress());
  const who = {
    root: await addr(root),
    education: await addr(education),
    personnel: await addr(personnel),
    police: await addr(police),
    interior: await addr(net.roster.accreditors.interior.signer),
    snu: await addr(snu),
    seoul: await addr(seoul),
    dla: await addr(dlaIssuer.signer),
    jongno: await addr(jongnoIssuer.signer),
    pusan: await addr(pusan),
    newRoot: await addr(newRoot),
    operator: await addr(operator),
    personnelNewKey: await addr(personnelNewKey),
  };
  const types = {
    student: credentialTypeId("StudentIDCredential", 1),
    civil: credentialTypeId("CivilServantIDCredential", 1),
    drivers: credentialTypeId("DriversLicenseCredential", 1),
    resident: credentialTypeId("ResidentIDCredential", 1),
  };
  const steps: Record<string, Step> = {};
  const send = async (label: string, contract: Contract, signer: Signer, method: string, args: unknown[]) => {
    const tx = await (contract.connect(signer) as Contract).getFunction(method)(...args);
    const receipt = (await tx.wait()) as TransactionReceipt;
    const block = await provider.getBlock(receipt.blockNumber);
    if (block === null) throw new Error("no block");
    steps[label] = { blockNumber: receipt.blockNumber, hash: receipt.hash, timestamp: block.timestamp, from: receipt.from };
  };
  const latest = async () => {
    const b = await provider.getBlock("latest");
    if (b === null) throw new Error("no block");
    return b;
  };
  const bootstrapBlock = (await latest()).number;

  // Day 1 starts at the next UTC midnight; activity happens from 01:00 so that a few seconds of wall clock
  // never cross a day boundary.
  const t0 = (await latest()).timestamp;
  const day1 = (Math.floor(t0 / DAY) + 1) * DAY;
  await net.chain.increaseTime(day1 + 3600 - t0);
  const { accreditationRegistry: acc, statusRegistry: status, didRegistry: did } = c;
  const now = (await latest()).timestamp;

  // --- Day 1 -------------------------------------------------------------------------------------------------
  await send("registerPusan", acc, education, "registerIssuer", [who.education, who.pusan, PUSAN_NAME]);
  await send("accreditPusan", acc, education, "accreditIssuer", [who.education, who.pusan, types.student, now, now + 365 * DAY, ReasonCode.GRANTED]);
  await send("snuRevList", status, snu, "createList", [who.snu, 1, 17, [who.operator]]); // list 1
  await send("snuSusList", status, snu, "createList", [who.snu, 2, 17, [who.operator]]); // list 2
  await send("seoulRevList", status, seoul, "createList", [who.seoul, 1, 17, [who.operator]]); // list 3
  await send("revoke5", status, operator, "revoke", [1, 5, ReasonCode.KEY_COMPROMISE]);
  await send("revoke300", status, operator, "revoke", [1, 300, ReasonCode.DEVICE_LOST]);
  await send("revoke5again", status, operator, "revoke", [1, 5, ReasonCode.DEVICE_LOST]); // changes nothing
  await send("suspend7", status, snu, "suspend", [2, 7, ReasonCode.ADMINISTRATIVE]);
  // Word 0: entries 0, 1, 3, 5 (5 already revoked); word 3: entries 768 and 1023.
  await send("revokeBatch", status, operator, "revokeBatch", [1, [0, 3], [0b101011n, (1n << 255n) | 1n], ReasonCode.SUPERSEDED]);
  await send("seoulRevoke", status, seoul, "revoke", [3, 1000, ReasonCode.DEVICE_LOST]);
  await send("suspendSnu", acc, education, "suspend", [who.education, who.snu, types.student, ReasonCode.AUDIT_FINDING]);

  // --- Day 2 -------------------------------------------------------------------------------------------------
  await net.chain.increaseTime(DAY);
  await send("reinstateSnu", acc, education, "reinstate", [who.education, who.snu, types.student, ReasonCode.REVIEW_CLEARED]);
  await send("renewPusan", acc, education, "renew", [who.education, who.pusan, types.student, now + 730 * DAY, ReasonCode.RENEWED]);
  // Word 0: entries 0, 1; word 1: entries 260-263.
  await send("suspendBatch", status, operator, "suspendBatch", [2, [0, 1], [0b11n, 0xf0n], ReasonCode.ADMINISTRATIVE]);
  await send("reinstate7", status, operator, "reinstate", [2, 7, ReasonCode.REVIEW_CLEARED]);
  // Word 1: entries 260 and 261 cleared.
  await send("reinstateBatch", status, operator, "reinstateBatch", [2, [1], [0x30n], ReasonCode.REVIEW_CLEARED]);
  await send("suspendPolice", acc, root, "suspend", [who.root, who.police, types.drivers, ReasonCode.AUDIT_FINDING]);

  // --- Day 3 -------------------------------------------------------------------------------------------------
  await net.chain.increaseTime(DAY);
  await send("reinstatePolice", acc, root, "reinstate", [who.root, who.police, types.drivers, ReasonCode.REVIEW_CLEARED]);
  await send("revokePusan", acc, education, "revoke", [who.education, who.pusan, types.student, ReasonCode.CESSATION]);
  await send("rootSuspendsSeoul", acc, root, "suspend", [who.root, who.seoul, types.civil, ReasonCode.MISCONDUCT]);
  await send("rotatePersonnel", did, personnel, "changeOwner", [who.personnel, who.personnelNewKey]);
  await send("beginTransfer1", acc, root, "beginRootTransfer", [who.newRoot]);
  await send("cancelTransfer", acc, root, "cancelRootTransfer", []);
  await send("beginTransfer2", acc, root, "beginRootTransfer", [who.newRoot]);
  await send("deprecateResident", acc, root, "deprecateCredentialType", [types.resident, ReasonCode.ADMINISTRATIVE]);

  // --- Day 5: the hand-over's two-day delay has passed -------------------------------------------------------
  await net.chain.increaseTime(2 * DAY + 600);
  await send("acceptTransfer", acc, newRoot, "acceptRootTransfer", []);
  // One more revocation, by the new root's era, on day 5.
  await send("seoulRevoke2", status, operator, "revoke", [3, 1001, ReasonCode.DEVICE_LOST]);

  return { net, types, who, day1, steps, bootstrapBlock, pusanWindow: { from: now, until: now + 365 * DAY, renewedUntil: now + 730 * DAY } };
}

/** `YYYY-MM-DD` of day `n` (1-based) of the scenario. */
export function dayLabel(s: Scenario, n: number): string {
  return new Date((s.day1 + (n - 1) * DAY) * 1000).toISOString().slice(0, 10);
}

export function step(s: Scenario, label: string): Step {
  const found = s.steps[label];
  if (found === undefined) throw new Error(`no step ${label}`);
  return found;
}
