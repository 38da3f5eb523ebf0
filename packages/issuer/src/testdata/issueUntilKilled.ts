/**
 * Child process of `issuanceDurability.test.ts`: issues credentials as fast as it can, with many requests in
 * flight, and prints `ACK <id> <pair> <index>` for each one the moment `issue` resolves (the holder would
 * have the credential from then on). The parent kills it with SIGKILL at an arbitrary point.
 */
import { startTestbed, newHolder, studentClaims } from "../testing.ts";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: issueUntilKilled.ts <database path>");
const tb = await startTestbed();
const issuer = await tb.open({ databasePath: path, clock: () => Math.floor(Date.now() / 1000) });
const { pairs } = await issuer.ensureStatusLists({ sparePairs: 0 });
const pairOf = new Map(pairs.map((p) => [p.revocationListId, p.pairId] as const));
process.stdout.write(`READY ${issuer.address} ${tb.net.descriptor.chainId} ${tb.net.descriptor.contracts.statusRegistry.address}\n`);

async function worker(): Promise<never> {
  for (;;) {
    const c = await issuer.issue({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() });
    // Pipes are synchronous on Linux: once this returns, the parent can read the line.
    process.stdout.write(`ACK ${c.id} ${pairOf.get(c.credentialStatus.revocationListId)} ${c.credentialStatus.statusListIndex}\n`);
  }
}
await Promise.all(Array.from({ length: 32 }, worker));
