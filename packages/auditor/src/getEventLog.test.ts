import { HDNodeWallet, Mnemonic } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_MNEMONIC, changeRelyingPartyStanding, registerRelyingParty } from "@mobile-id/chain";
import { ReasonCode } from "@mobile-id/core";
import { type AuditLedger, type EventLogRow, formatReport, getEventLog, openLedger } from "./index.ts";
import { DAY, type Scenario, runScenario, step } from "./testing.ts";

let s: Scenario;
let ledger: AuditLedger;
beforeAll(async () => {
  s = await runScenario();
  ledger = await openLedger({ descriptor: s.net.descriptor, provider: s.net.chain.provider });
}, 120_000);
afterAll(() => s.net.chain.close());

const at = (rows: readonly EventLogRow[], label: string) => rows.filter((r) => r.transactionHash === step(s, label).hash);

describe("getEventLog", () => {
  it("lists each event with who, what, when and why: accreditors' changes to issuers, status writes with their counts, lists, governance", async () => {
    const report = await getEventLog({ ledger });
    expect(report.kind).toBe("eventLog");
    expect(report.total).toBe(report.events.length);
    const rows = report.events;
    // An accreditor's grant to an issuer (not in the governance report).
    expect(at(rows, "accreditPusan")).toMatchObject([
      { category: "accreditation", action: "AccreditationGranted", actor: s.who.education, actorName: "교육부 Ministry of Education", subject: s.who.pusan, typeName: "StudentIDCredential v1", reasonName: "GRANTED" },
    ]);
    expect(at(rows, "revokePusan")).toMatchObject([{ action: "AccreditationRevoked", reasonName: "CESSATION" }]);
    // Status writes: the list's issuer, the reason, and how many credentials the write names.
    expect(at(rows, "revokeBatch")).toMatchObject([{ category: "status", action: "CredentialsRevoked", actor: s.who.snu, entries: 6, reasonName: "SUPERSEDED", subject: "1" }]);
    expect(at(rows, "suspend7")).toMatchObject([{ category: "status", action: "CredentialsSuspended", entries: 1, reasonName: "ADMINISTRATIVE" }]);
    expect(at(rows, "reinstateBatch")).toMatchObject([{ category: "status", action: "CredentialsReinstated", entries: 2, reasonName: "REVIEW_CLEARED" }]);
    expect(at(rows, "snuRevList").map((r) => [r.category, r.action, r.actor])).toEqual([
      ["list", "StatusListCreated", s.who.snu],
      ["list", "StatusListOperatorSet", s.who.snu],
    ]);
    // Governance changes are in the same list, once each.
    expect(at(rows, "acceptTransfer").map((r) => r.action)).toContain("RootTransferred");
    expect(new Set(at(rows, "acceptTransfer").map((r) => r.logIndex)).size).toBe(at(rows, "acceptTransfer").length);
    expect(at(rows, "rotatePersonnel").map((r) => [r.category, r.action])).toEqual([["governance", "KeyRotated"]]);
    expect(at(rows, "suspendSnu")).toHaveLength(1);
    for (const r of rows) expect(r.time).toBe(new Date(r.timestamp * 1000).toISOString().replace(".000Z", "Z"));
    const order = rows.map((r) => r.blockNumber * 1e6 + r.logIndex);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("filters by kind, actor, credential type and time range, and says of how many", async () => {
    const status = await getEventLog({ ledger, category: "status" });
    expect(status.events.length).toBeGreaterThan(5);
    expect(status.events.every((r) => r.category === "status")).toBe(true);
    expect(status.total).toBeGreaterThan(status.events.length);
    const seoul = await getEventLog({ ledger, actor: s.who.seoul.toLowerCase() });
    expect(new Set(seoul.events.map((r) => r.actor))).toEqual(new Set([s.who.seoul]));
    const student = await getEventLog({ ledger, credentialType: "StudentIDCredential" });
    expect(student.events.length).toBeGreaterThan(3);
    expect(student.events.every((r) => r.typeName === "StudentIDCredential v1")).toBe(true);
    const day2 = await getEventLog({ ledger, from: s.day1 + DAY, to: s.day1 + 2 * DAY - 1 });
    expect(day2.events.map((r) => r.transactionHash)).toEqual(
      ["reinstateSnu", "renewPusan", "suspendBatch", "reinstate7", "reinstateBatch", "suspendPolice"].map((l) => step(s, l).hash),
    );
    await expect(getEventLog({ ledger, from: -1 })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("reads only the logs the asked kind is made of: a governance question does not read the status writes", async () => {
    const statusWritesRead = async (category?: "governance" | "relyingParty" | "status" | "list") => {
      const details: string[] = [];
      const report = await getEventLog({ ledger, ...(category === undefined ? {} : { category }), onProgress: (p) => void details.push(p.detail ?? "") });
      return { read: details.some((d) => d.startsWith("statusRegistry")), report };
    };
    const all = await statusWritesRead();
    expect(all.read).toBe(true);
    const governance = await statusWritesRead("governance");
    expect(governance.read).toBe(false);
    // The same governance rows as when everything is read.
    expect(governance.report.events).toEqual(all.report.events.filter((r) => r.category === "governance"));
    expect((await statusWritesRead("relyingParty")).read).toBe(false);
    const status = await statusWritesRead("status");
    expect(status.read).toBe(true);
    expect(status.report.events).toEqual(all.report.events.filter((r) => r.category === "status"));
    const list = await statusWritesRead("list");
    expect(list.report.events).toEqual(all.report.events.filter((r) => r.category === "list"));
  });

  it("lists relying parties registered, suspended (with the reason) and the claims they may ask for", async () => {
    const education = s.net.roster.accreditors.education.signer;
    const rp = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), "m/44'/60'/0'/0/13").address;
    const registered = await registerRelyingParty({
      descriptor: s.net.descriptor,
      signer: education,
      relyingParty: rp,
      name: "관악 서점 Gwanak Books",
      purpose: "Student discount",
      types: [{ credentialTypeId: s.types.student, claims: ["familyName", "enrollmentStatus"] }],
    });
    const suspended = await changeRelyingPartyStanding({ descriptor: s.net.descriptor, signer: education, relyingParty: rp, action: "suspend", reason: ReasonCode.MISCONDUCT });
    const report = await getEventLog({ ledger, category: "relyingParty" });
    const of = (hash: string) => report.events.filter((r) => r.transactionHash === hash).map((r) => [r.action, r.actorName, r.subjectName, r.typeName, r.reasonName, r.entries]);
    expect(of(registered.hash)).toEqual([
      ["RelyingPartyRegistered", "교육부 Ministry of Education", "관악 서점 Gwanak Books", "", "", null],
      ["RelyingPartyGranted", "교육부 Ministry of Education", "관악 서점 Gwanak Books", "", "GRANTED", null],
      ["RelyingPartyClaimsSet", "교육부 Ministry of Education", "관악 서점 Gwanak Books", "StudentIDCredential v1", "", 2],
    ]);
    expect(of(suspended.hash)).toEqual([["RelyingPartySuspended", "교육부 Ministry of Education", "관악 서점 Gwanak Books", "", "MISCONDUCT", null]]);
    expect(report.events.every((r) => r.category === "relyingParty")).toBe(true);
  });

  it("renders as CSV with one row per event", async () => {
    const report = await getEventLog({ ledger, category: "status" });
    const csv = formatReport({ report, format: "csv" }).trim().split("\n");
    expect(csv[0]).toBe("time,block,category,action,actor,actor name,subject,subject name,credential type,reason,reason code,entries,detail,transaction");
    expect(csv).toHaveLength(report.events.length + 1);
    expect(csv.some((l) => l.includes("CredentialsRevoked") && l.includes("SUPERSEDED"))).toBe(true);
  });
});
