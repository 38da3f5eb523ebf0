/**
 * Measures the holder index at agency scale: N rows written (one transaction each, as issuance does), then
 * look-ups by reference (indexed HMAC) and by name (every row's card decrypted). Prints; asserts nothing.
 *
 *   node packages/issuer/scripts/bench-holder-index.ts [rows=100000]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHolderIndex } from "../src/holders/createHolderIndex.ts";

const rows = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), "holder-bench-"));
const index = createHolderIndex({ path: join(dir, "h.sqlite"), keyPath: join(dir, "h.key") });
const now = Math.floor(Date.now() / 1000);
const FAMILY = ["김", "이", "박", "최", "정", "Kim", "Lee", "Park"];
const GIVEN = ["민준", "서연", "도윤", "하은", "Minjun", "Seoyeon", "Jiho", "Yuna"];
const t = performance.now();
for (let i = 0; i < rows; i++) {
  index.recordHolder({
    reference: `2026-${String(i).padStart(6, "0")}`,
    familyName: FAMILY[i % FAMILY.length] as string,
    givenName: `${GIVEN[(i >> 3) % GIVEN.length] as string}${i}`,
    credentialIds: [`urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`],
    type: "StudentIDCredential",
    format: "jwt_vc_json",
    issuedAt: now,
    expiresAt: now + 365 * 86_400,
  });
}
const writeMs = performance.now() - t;
const time = (fn: () => unknown, n: number) => {
  const start = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - start) / n;
};
const byRef = time(() => index.findHolders({ reference: `2026-${String(rows >> 1).padStart(6, "0")}` }), 200);
const firstName = time(() => index.findHolders({ name: `minjun${rows - 3}` }), 1);
const byName = time(() => index.findHolders({ name: `minjun${rows - 3}` }), 20);
const byNameMany = time(() => index.findHolders({ name: "김" }), 5);
const size = statSync(join(dir, "h.sqlite")).size + statSync(join(dir, "h.sqlite-wal")).size;
index.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      rows,
      writePerRowMs: +(writeMs / rows).toFixed(4),
      findByReferenceMs: +byRef.toFixed(3),
      firstNameSearchMs: +firstName.toFixed(1),
      findByNameFullScanMs: +byName.toFixed(1),
      findByNameFirst50Ms: +byNameMany.toFixed(1),
      bytesOnDisk: size,
    },
    null,
    2,
  ),
);
