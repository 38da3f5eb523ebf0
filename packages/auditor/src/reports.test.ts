import { type Provider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReasonCode, isMobileIdError, toEthrDid } from "@mobile-id/core";
import {
  type AuditLedger,
  formatReport,
  getAccreditationHistory,
  getGovernanceChanges,
  getInForce,
  getStatusActivity,
  openLedger,
} from "./index.ts";
import { PUSAN_NAME, type Scenario, dayLabel, runScenario, step } from "./testing.ts";

let s: Scenario;
let ledger: AuditLedger;
/** Block numbers passed to getBlock, through a counting provider. */
const blockReads: unknown[] = [];

beforeAll(async () => {
  s = await runScenario();
  const provider = s.net.chain.provider;
  const counting = new Proxy(provider, {
    get(target, prop, receiver) {
      if (prop === "getBlock") {
        return (tag: number) => {
          blockReads.push(tag);
          return target.getBlock(tag);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      // ethers keeps private fields: methods must run on the real provider, not on the proxy.
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Provider;
  ledger = await openLedger({ descriptor: s.net.descriptor, provider: counting });
}, 120_000);
afterAll(() => s.net.chain.close());

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return isMobileIdError(e) ? e.code : `not a MobileIdError: ${String(e)}`;
  }
  return "no error";
};

describe("getAccreditationHistory", () => {
  it("lists every change of an issuer per type, with actor, sender key, state, window, reason, block, time and tx", async () => {
    const report = await getAccreditationHistory({ ledger, party: s.who.snu });
    expect(report.kind).toBe("accreditationHistory");
    expect(report.party).toEqual({
      identity: s.who.snu,
      did: toEthrDid(31337, s.who.snu),
      name: "서울대학교 Seoul National University",
      role: "Issuer",
    });
    expect(report.types).toHaveLength(1);
    const [type] = report.types;
    expect(type!.credentialType).toBe(s.types.student);
    expect(type!.typeName).toBe("StudentIDCredential");
    expect(type!.typeVersion).toBe(1);
    const changes = type!.changes;
    expect(changes.map((c) => [c.action, c.status, c.reason, c.reasonName])).toEqual([
      ["granted", "Active", ReasonCode.GRANTED, "GRANTED"],
      ["suspended", "Suspended", ReasonCode.AUDIT_FINDING, "AUDIT_FINDING"],
      ["reinstated", "Active", ReasonCode.REVIEW_CLEARED, "REVIEW_CLEARED"],
    ]);
    for (const c of changes) {
      expect(c.actor).toBe(s.who.education);
      expect(c.actorName).toBe("교육부 Ministry of Education");
      expect(c.sender).toBe(s.who.education);
      expect(c.validFrom).toBe(changes[0]!.validFrom);
      expect(c.validUntil).toBe(changes[0]!.validUntil);
      expect(c.time).toBe(new Date(c.timestamp * 1000).toISOString().replace(".000Z", "Z"));
    }
    expect(changes[0]!.blockNumber).toBeLessThanOrEqual(s.bootstrapBlock);
    for (const [i, label] of [[1, "suspendSnu"], [2, "reinstateSnu"]] as const) {
      const st = step(s, label);
      expect([changes[i]!.blockNumber, changes[i]!.transactionHash, changes[i]!.timestamp]).toEqual([st.blockNumber, st.hash, st.timestamp]);
    }
  });

  it("tells renewals from reinstatements and shows the new window", async () => {
    const report = await getAccreditationHistory({ ledger, party: toEthrDid(31337, s.who.pusan), credentialType: "StudentIDCredential" });
    expect(report.party.name).toBe(PUSAN_NAME);
    const changes = report.types[0]!.changes;
    expect(changes.map((c) => [c.action, c.status, c.validFrom, c.validUntil, c.reasonName, c.transactionHash])).toEqual([
      ["granted", "Active", s.pusanWindow.from, s.pusanWindow.until, "GRANTED", step(s, "accreditPusan").hash],
      ["renewed", "Active", s.pusanWindow.from, s.pusanWindow.renewedUntil, "RENEWED", step(s, "renewPusan").hash],
      ["revoked", "Revoked", s.pusanWindow.from, s.pusanWindow.renewedUntil, "CESSATION", step(s, "revokePusan").hash],
    ]);
  });

  it("covers accreditors (changed by the root) and answers as of an earlier block", async () => {
    const now = await getAccreditationHistory({ ledger, party: s.who.police, includeSenders: false });
    expect(now.party.role).toBe("Accreditor");
    expect(now.types[0]!.changes.map((c) => [c.action, c.actor, c.sender])).toEqual([
      ["granted", s.who.root, null],
      ["suspended", s.who.root, null],
      ["reinstated", s.who.root, null],
    ]);
    const before = await getAccreditationHistory({ ledger, party: s.who.police, atBlock: step(s, "reinstatePolice").blockNumber - 1 });
    expect(before.types[0]!.changes.map((c) => c.action)).toEqual(["granted", "suspended"]);
    expect(before.atBlock).toBe(step(s, "reinstatePolice").blockNumber - 1);
  });

  it("filters by type id, and refuses unknown parties, unknown types and DIDs of other chains", async () => {
    const byId = await getAccreditationHistory({ ledger, party: s.who.snu, credentialType: s.types.student });
    expect(byId.types.map((t) => t.changes.length)).toEqual([3]);
    const other = await getAccreditationHistory({ ledger, party: s.who.snu, credentialType: "DriversLicenseCredential" });
    expect(other.types).toEqual([]);
    expect(await codeOf(getAccreditationHistory({ ledger, party: "0x000000000000000000000000000000000000dEaD" }))).toBe("UNKNOWN_PARTY");
    expect(await codeOf(getAccreditationHistory({ ledger, party: s.who.snu, credentialType: "LibraryCard" }))).toBe("UNKNOWN_CREDENTIAL_TYPE");
    expect(await codeOf(getAccreditationHistory({ ledger, party: toEthrDid(1, s.who.snu) }))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(getAccreditationHistory({ ledger, party: "snu" }))).toBe("INVALID_ARGUMENT");
  });
});

describe("getInForce", () => {
  it("answers who was in force at past moments, from standingAt, with the accreditor and finality", async () => {
    const suspendedAt = step(s, "suspendSnu").timestamp;
    const before = await getInForce({ ledger, credentialType: "StudentIDCredential", at: suspendedAt - 1 });
    const during = await getInForce({ ledger, credentialType: "StudentIDCredential", at: suspendedAt });
    const after = await getInForce({ ledger, credentialType: "StudentIDCredential", at: step(s, "reinstateSnu").timestamp });
    const afterRevoke = await getInForce({ ledger, credentialType: s.types.student, at: step(s, "revokePusan").timestamp });
    const row = (r: typeof before) => r.parties.map((p) => [p.name, p.role, p.inForce, p.status, p.accreditorName, p.accreditorStatus, p.final]);
    const EDU = "교육부 Ministry of Education";
    const ROOT = "행정안전부 Ministry of the Interior and Safety (governance root)";
    const SNU = "서울대학교 Seoul National University";
    // Accreditors first, then by name (부 sorts before 서).
    expect(row(before)).toEqual([
      [EDU, "Accreditor", true, "Active", ROOT, "Active", true],
      [PUSAN_NAME, "Issuer", true, "Active", EDU, "Active", true],
      [SNU, "Issuer", true, "Active", EDU, "Active", true],
    ]);
    expect(row(during)).toEqual([
      [EDU, "Accreditor", true, "Active", ROOT, "Active", true],
      [PUSAN_NAME, "Issuer", true, "Active", EDU, "Active", true],
      [SNU, "Issuer", false, "Suspended", EDU, "Active", true],
    ]);
    expect(row(after).map((r) => r[2])).toEqual([true, true, true]);
    expect(row(afterRevoke)).toEqual([
      [EDU, "Accreditor", true, "Active", ROOT, "Active", true],
      [PUSAN_NAME, "Issuer", false, "Revoked", EDU, "Active", true],
      [SNU, "Issuer", true, "Active", EDU, "Active", true],
    ]);
    expect([before.inForceCount, during.inForceCount, afterRevoke.inForceCount]).toEqual([3, 2, 2]);
    const snuDuring = during.parties.find((p) => p.party === s.who.snu)!;
    expect(snuDuring).toMatchObject({ since: suspendedAt, reason: ReasonCode.AUDIT_FINDING, reasonName: "AUDIT_FINDING", accreditor: s.who.education });
    expect(during.credentialType).toMatchObject({ name: "StudentIDCredential", version: 1, deprecated: false, governingAccreditor: s.who.education });
    expect(during.final).toBe(true);
  });

  it("shows an issuer out of force while its accreditor is suspended, and a party with no record yet as None", async () => {
    const report = await getInForce({ ledger, credentialType: "DriversLicenseCredential", at: step(s, "suspendPolice").timestamp });
    expect(report.parties.map((p) => [p.party, p.inForce, p.status, p.accreditor, p.accreditorStatus])).toEqual([
      [s.who.police, false, "Suspended", s.who.root, "Active"],
      [s.who.dla, false, "Active", s.who.police, "Suspended"],
    ]);
    const early = await getInForce({ ledger, credentialType: "StudentIDCredential", at: step(s, "accreditPusan").timestamp - 1 });
    expect(early.parties.find((p) => p.party === s.who.pusan)).toMatchObject({
      inForce: false,
      status: "None",
      accreditor: "",
      accreditorStatus: "None",
      since: 0,
      reasonName: "",
    });
  });

  it("gives the same final answer at any later block, and marks answers about the future as not final", async () => {
    const at = step(s, "suspendSnu").timestamp;
    const soon = await getInForce({ ledger, credentialType: "StudentIDCredential", at, atBlock: step(s, "reinstateSnu").blockNumber });
    const late = await getInForce({ ledger, credentialType: "StudentIDCredential", at });
    expect(soon.parties).toEqual(late.parties);
    expect(soon.atBlock).not.toBe(late.atBlock);
    const future = await getInForce({ ledger, credentialType: "StudentIDCredential", at: late.atBlockTimestamp + 3600 });
    expect(future.final).toBe(false);
    expect(future.parties.every((p) => !p.final)).toBe(true);
    const deprecated = await getInForce({ ledger, credentialType: "ResidentIDCredential" });
    expect(deprecated.credentialType.deprecated).toBe(true);
    expect(deprecated.at).toBe(deprecated.atBlockTimestamp);
    expect(await codeOf(getInForce({ ledger, credentialType: "StudentIDCredential", at: -1 }))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(getInForce({ ledger, credentialType: "StudentIDCredential", at: 1.5 }))).toBe("INVALID_ARGUMENT");
    expect(await codeOf(getInForce({ ledger, credentialType: "StudentIDCredential", atBlock: 10 ** 9 }))).toBe("BLOCK_OUT_OF_RANGE");
  });
});

describe("getGovernanceChanges", () => {
  it("lists every governance change in ledger order, and no issuer change made by an accreditor", async () => {
    const report = await getGovernanceChanges({ ledger });
    const { who, types } = s;
    expect(report.changes.map((c) => [c.action, c.actor, c.subject, c.credentialType, c.reasonName])).toEqual([
      ["RootTransferred", "", who.root, "", ""],
      ["PartyRegistered", "", who.root, "", ""],
      ["PartyRegistered", who.root, who.education, "", ""],
      ["PartyRegistered", who.root, who.personnel, "", ""],
      ["PartyRegistered", who.root, who.police, "", ""],
      ["PartyRegistered", who.root, who.interior, "", ""],
      ["CredentialTypeRegistered", who.root, types.student, types.student, ""],
      ["CredentialTypeRegistered", who.root, types.civil, types.civil, ""],
      ["CredentialTypeRegistered", who.root, types.drivers, types.drivers, ""],
      ["CredentialTypeRegistered", who.root, types.resident, types.resident, ""],
      ["AccreditationGranted", who.root, who.education, types.student, "GRANTED"],
      ["AccreditationGranted", who.root, who.personnel, types.civil, "GRANTED"],
      ["AccreditationGranted", who.root, who.police, types.drivers, "GRANTED"],
      ["AccreditationGranted", who.root, who.interior, types.resident, "GRANTED"],
      ["PartyRegistered", who.education, who.snu, "", ""],
      ["PartyRegistered", who.personnel, who.seoul, "", ""],
      ["PartyRegistered", who.police, who.dla, "", ""],
      ["PartyRegistered", who.interior, who.jongno, "", ""],
      ["PartyRegistered", who.education, who.pusan, "", ""],
      ["AccreditationSuspended", who.root, who.police, types.drivers, "AUDIT_FINDING"],
      ["AccreditationReinstated", who.root, who.police, types.drivers, "REVIEW_CLEARED"],
      ["AccreditationSuspended", who.root, who.seoul, types.civil, "MISCONDUCT"],
      ["KeyRotated", who.personnel, who.personnel, "", ""],
      ["RootTransferStarted", who.root, who.newRoot, "", ""],
      ["RootTransferCanceled", who.root, who.newRoot, "", ""],
      ["RootTransferStarted", who.root, who.newRoot, "", ""],
      ["CredentialTypeDeprecated", who.root, types.resident, types.resident, "ADMINISTRATIVE"],
      ["PartyRegistered", who.root, who.newRoot, "", ""],
      ["RootTransferred", who.newRoot, who.newRoot, "", ""],
    ]);
    const byHash = (h: string) => report.changes.filter((c) => c.transactionHash === h);
    expect(byHash(step(s, "rotatePersonnel").hash)[0]!.detail).toBe(`owner key now ${who.personnelNewKey}`);
    expect(byHash(step(s, "acceptTransfer").hash).map((c) => c.blockNumber)).toEqual([
      step(s, "acceptTransfer").blockNumber,
      step(s, "acceptTransfer").blockNumber,
    ]);
    const pusan = report.changes.find((c) => c.subject === who.pusan)!;
    expect([pusan.subjectName, pusan.actorName, pusan.timestamp]).toEqual([PUSAN_NAME, "교육부 Ministry of Education", step(s, "registerPusan").timestamp]);
    expect(report.root).toBe(who.newRoot);
    expect(report.pendingRoot).toBeNull();
    // Ordered by (block, log index).
    const order = report.changes.map((c) => c.blockNumber * 1000 + c.logIndex);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("starts at fromBlock, shows a pending hand-over as of its block, and can leave key rotations out", async () => {
    const from = step(s, "rootSuspendsSeoul").blockNumber;
    const later = await getGovernanceChanges({ ledger, fromBlock: from, includeKeyRotations: false });
    expect(later.changes.map((c) => c.action)).toEqual([
      "AccreditationSuspended",
      "RootTransferStarted",
      "RootTransferCanceled",
      "RootTransferStarted",
      "CredentialTypeDeprecated",
      "PartyRegistered",
      "RootTransferred",
    ]);
    const pending = await getGovernanceChanges({ ledger, atBlock: step(s, "beginTransfer2").blockNumber });
    expect(pending.root).toBe(s.who.root);
    expect(pending.pendingRoot).toEqual({
      newRoot: s.who.newRoot,
      acceptSchedule: step(s, "beginTransfer2").timestamp + 2 * 86_400,
      acceptTime: new Date((step(s, "beginTransfer2").timestamp + 2 * 86_400) * 1000).toISOString().replace(".000Z", "Z"),
    });
    expect(await codeOf(getGovernanceChanges({ ledger, fromBlock: 10 ** 9 }))).toBe("BLOCK_OUT_OF_RANGE");
  });
});

describe("getStatusActivity", () => {
  it("counts revocations, suspensions and reinstatements per issuer per UTC day, batches by popcount", async () => {
    const report = await getStatusActivity({ ledger });
    const SNU = "서울대학교 Seoul National University";
    const SEOUL = "서울특별시 Seoul Metropolitan Government";
    expect(report.rows).toEqual([
      // Day 1, SNU: revoke 5, 300, 5 again (unchanged), batch {0,1,3,5 (unchanged), 768, 1023}; suspend 7.
      { day: dayLabel(s, 1), issuer: s.who.snu, issuerName: SNU, revoked: 9, suspended: 1, reinstated: 0, unchanged: 2, events: 5 },
      { day: dayLabel(s, 1), issuer: s.who.seoul, issuerName: SEOUL, revoked: 1, suspended: 0, reinstated: 0, unchanged: 0, events: 1 },
      // Day 2, SNU: suspend batch {0, 1, 260-263}; reinstate 7; reinstate batch {260, 261}.
      { day: dayLabel(s, 2), issuer: s.who.snu, issuerName: SNU, revoked: 0, suspended: 6, reinstated: 3, unchanged: 0, events: 3 },
      { day: dayLabel(s, 5), issuer: s.who.seoul, issuerName: SEOUL, revoked: 1, suspended: 0, reinstated: 0, unchanged: 0, events: 1 },
    ]);
    expect(report.totals).toEqual({ revoked: 11, suspended: 7, reinstated: 3, unchanged: 2, events: 10 });
    expect(report.lists.map((l) => [l.listId, l.issuer, l.purpose, l.size])).toEqual([
      ["1", s.who.snu, "Revocation", "131072"],
      ["2", s.who.snu, "Suspension", "131072"],
      ["3", s.who.seoul, "Revocation", "131072"],
    ]);
    expect(report.timeZone).toBe("UTC+00:00");
  });

  it("filters by issuer and fromBlock, and shifts days with a UTC offset", async () => {
    const seoul = await getStatusActivity({ ledger, issuer: s.who.seoul });
    expect(seoul.rows.map((r) => [r.day, r.revoked])).toEqual([[dayLabel(s, 1), 1], [dayLabel(s, 5), 1]]);
    expect(seoul.lists.map((l) => l.listId)).toEqual(["3"]);
    const nobody = await getStatusActivity({ ledger, issuer: s.who.dla });
    expect([nobody.rows, nobody.lists]).toEqual([[], []]);
    const fromDay2 = await getStatusActivity({ ledger, fromBlock: step(s, "suspendBatch").blockNumber });
    expect(fromDay2.totals).toEqual({ revoked: 1, suspended: 6, reinstated: 3, unchanged: 0, events: 4 });
    // Activity happens at about 01:00 UTC: at UTC-02:00 that is the evening before.
    const west = await getStatusActivity({ ledger, utcOffsetMinutes: -120 });
    expect(west.rows.map((r) => r.day)).toEqual([dayLabel(s, 0), dayLabel(s, 0), dayLabel(s, 1), dayLabel(s, 4)]);
    expect(west.timeZone).toBe("UTC-02:00");
    expect(await codeOf(getStatusActivity({ ledger, utcOffsetMinutes: 24 * 60 }))).toBe("INVALID_ARGUMENT");
  });

  it("reads each block's time once for the life of the ledger object", async () => {
    await getStatusActivity({ ledger });
    await getStatusActivity({ ledger, utcOffsetMinutes: 540 });
    await getGovernanceChanges({ ledger });
    const numbers = blockReads.filter((b) => typeof b === "number");
    expect(numbers.length).toBeGreaterThan(0);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});

describe("formatting real reports", () => {
  it("escapes a name with a comma and quotes in CSV, and keeps it intact in JSON and the table", async () => {
    const report = await getGovernanceChanges({ ledger });
    const csv = formatReport({ report, format: "csv" });
    expect(csv).toContain(`,"부산대학교 ""Pusan"", National University",`);
    expect(csv.split("\n")[0]).toBe("time,block,action,actor,actor name,subject,subject name,credential type,detail,reason,transaction");
    expect(csv.trimEnd().split("\n")).toHaveLength(report.changes.length + 1);
    const json = JSON.parse(formatReport({ report, format: "json" })) as typeof report;
    expect(json).toEqual(report);
    expect(formatReport({ report, format: "table" })).toContain(PUSAN_NAME);
  });
});
