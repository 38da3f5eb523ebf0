import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { type GovernanceLogEvent, deriveAccountAllowlist } from "./accountAllowlist.ts";

const [root, accreditor, issuer, operator, newKey, stranger] = Array.from({ length: 6 }, () => Wallet.createRandom().address) as [string, string, string, string, string, string];
const T1 = `0x${"11".repeat(32)}`;
const T2 = `0x${"22".repeat(32)}`;
const sorted = (xs: string[]) => [...xs].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));

const base: GovernanceLogEvent[] = [
  { name: "PartyRegistered", identity: accreditor, role: 2 },
  { name: "AccreditationChanged", party: accreditor, credentialType: T1, status: 1 },
  { name: "PartyRegistered", identity: issuer, role: 3 },
  { name: "AccreditationChanged", party: issuer, credentialType: T1, status: 1 },
  { name: "StatusListCreated", listId: 1n, issuer },
  { name: "StatusListOperatorSet", listId: 1n, operator, allowed: true },
];

describe("deriveAccountAllowlist", () => {
  it("at genesis: the root alone", () => {
    expect(deriveAccountAllowlist({ root, events: [] }).accounts).toEqual([root]);
  });

  it("names the root, accreditors, issuers and list operators, each with why", () => {
    const list = deriveAccountAllowlist({ root, events: base });
    expect(list.accounts).toEqual(sorted([root, accreditor, issuer, operator]));
    expect(list.entries.find((e) => e.address === operator)?.reasons).toEqual(["operator"]);
    expect(list.entries.find((e) => e.address === issuer)?.reasons).toEqual(["issuer"]);
  });

  it("keeps a suspended issuer (it must still revoke), drops one whose every accreditation is revoked, and its operators", () => {
    const suspended = deriveAccountAllowlist({ root, events: [...base, { name: "AccreditationChanged", party: issuer, credentialType: T1, status: 2 }] });
    expect(suspended.accounts).toContain(issuer);
    const revoked = deriveAccountAllowlist({ root, events: [...base, { name: "AccreditationChanged", party: issuer, credentialType: T1, status: 3 }] });
    expect(revoked.accounts).toEqual(sorted([root, accreditor]));
    // Accredited again for another type: back in.
    const again = deriveAccountAllowlist({
      root,
      events: [...base, { name: "AccreditationChanged", party: issuer, credentialType: T1, status: 3 }, { name: "AccreditationChanged", party: issuer, credentialType: T2, status: 1 }],
    });
    expect(again.accounts).toContain(issuer);
  });

  it("drops an operator no longer allowed, and follows a rotated owner key", () => {
    const list = deriveAccountAllowlist({
      root,
      events: [
        ...base,
        { name: "StatusListOperatorSet", listId: 1n, operator, allowed: false },
        { name: "DIDOwnerChanged", identity: issuer, owner: newKey },
        { name: "DIDOwnerChanged", identity: stranger, owner: Wallet.createRandom().address },
      ],
    });
    expect(list.accounts).toEqual(sorted([root, accreditor, issuer, newKey]));
    expect(list.entries.find((e) => e.address === newKey)).toEqual({ address: newKey, reasons: ["owner-key"], keyOf: [issuer] });
  });
});
