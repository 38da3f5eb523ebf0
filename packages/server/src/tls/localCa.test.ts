import { X509Certificate } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isMobileIdError } from "@mobile-id/core";
import { LocalCaErrorCode, ensureLanCertificates } from "./localCa.ts";

const DAY = 86_400_000;
let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "mid-ca-"));
  dir = join(root, "tls");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isMobileIdError(e)) return e.code;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("ensureLanCertificates", () => {
  it("creates the CA once, with its key 0600 in a 0700 directory, and reuses it on the next start", async () => {
    const first = await ensureLanCertificates({ dir, addresses: ["192.168.0.23"] });
    expect(first.caCreated).toBe(true);
    expect(mode(dir)).toBe(0o700);
    for (const f of ["ca.key.pem", "ca.cert.pem", "server.key.pem", "server.cert.pem"]) expect(mode(join(dir, f))).toBe(0o600);
    const key = readFileSync(join(dir, "ca.key.pem"), "utf8");
    const second = await ensureLanCertificates({ dir, addresses: ["192.168.0.23"] });
    expect(second.caCreated).toBe(false);
    expect(second.serverRenewed).toBe(false);
    expect(second.ca.fingerprint256).toBe(first.ca.fingerprint256);
    expect(second.server.cert).toBe(first.server.cert);
    expect(readFileSync(join(dir, "ca.key.pem"), "utf8")).toBe(key);
    // The fingerprint is the SHA-256 of the DER a phone installs, as node:crypto computes it.
    expect(second.ca.fingerprint256).toBe(new X509Certificate(second.ca.der).fingerprint256);
  });

  it("signs a server certificate for the LAN address, 127.0.0.1 and localhost that verifies against the CA only", async () => {
    const tls = await ensureLanCertificates({ dir, addresses: ["192.168.0.23"] });
    const ca = new X509Certificate(tls.ca.pem);
    const leaf = new X509Certificate(tls.server.cert);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.checkIP("192.168.0.23")).toBe("192.168.0.23");
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(leaf.checkHost("localhost")).toBe("localhost");
    expect(leaf.checkIP("192.168.0.24")).toBeUndefined();
    expect(leaf.checkHost("example.com")).toBeUndefined();
    expect(leaf.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]); // serverAuth
    // Apple refuses server certificates valid longer than 398 days.
    expect(new Date(leaf.validTo).getTime() - new Date(leaf.validFrom).getTime()).toBeLessThanOrEqual(398 * DAY);
    // Another CA's certificate does not verify it.
    const other = await ensureLanCertificates({ dir: join(root, "other"), addresses: ["192.168.0.23"] });
    expect(leaf.verify(new X509Certificate(other.ca.pem).publicKey)).toBe(false);
  });

  it("renews the server certificate (same CA) when the LAN address changes or it nears expiry", async () => {
    const first = await ensureLanCertificates({ dir, addresses: ["192.168.0.23"] });
    const moved = await ensureLanCertificates({ dir, addresses: ["10.0.0.7"] });
    expect(moved.serverRenewed).toBe(true);
    expect(moved.ca.fingerprint256).toBe(first.ca.fingerprint256);
    expect(new X509Certificate(moved.server.cert).checkIP("10.0.0.7")).toBe("10.0.0.7");
    const later = await ensureLanCertificates({ dir, addresses: ["10.0.0.7"], now: () => new Date(Date.now() + 380 * DAY) });
    expect(later.serverRenewed).toBe(true);
    expect(later.ca.fingerprint256).toBe(first.ca.fingerprint256);
    expect(new Date(new X509Certificate(later.server.cert).validTo).getTime()).toBeGreaterThan(Date.now() + 700 * DAY);
  });

  it("names a host name too, renewing the server certificate (same CA) when the name is new", async () => {
    const first = await ensureLanCertificates({ dir, addresses: ["192.168.0.23"] });
    const named = await ensureLanCertificates({ dir, addresses: ["192.168.0.23"], names: ["mid-desk.local"] });
    expect(named.serverRenewed).toBe(true);
    expect(named.ca.fingerprint256).toBe(first.ca.fingerprint256);
    const leaf = new X509Certificate(named.server.cert.split("\n-----END CERTIFICATE-----")[0] + "\n-----END CERTIFICATE-----\n");
    expect(leaf.checkHost("mid-desk.local")).toBe("mid-desk.local");
    expect(leaf.checkHost("localhost")).toBe("localhost");
    expect(leaf.checkHost("other.local")).toBeUndefined();
    expect(leaf.checkIP("192.168.0.23")).toBe("192.168.0.23");
    // The same name again: kept.
    expect((await ensureLanCertificates({ dir, addresses: ["192.168.0.23"], names: ["mid-desk.local"] })).serverRenewed).toBe(false);
  });

  it("refuses a CA whose key is readable by others, or missing its certificate, instead of making a new one", async () => {
    await ensureLanCertificates({ dir, addresses: ["192.168.0.23"] });
    chmodSync(join(dir, "ca.key.pem"), 0o644);
    expect(await refusal(ensureLanCertificates({ dir, addresses: ["192.168.0.23"] }))).toBe(LocalCaErrorCode.LOCAL_CA_KEY_EXPOSED);
    chmodSync(join(dir, "ca.key.pem"), 0o600);
    unlinkSync(join(dir, "ca.cert.pem"));
    expect(await refusal(ensureLanCertificates({ dir, addresses: ["192.168.0.23"] }))).toBe(LocalCaErrorCode.LOCAL_CA_DAMAGED);
    expect(await refusal(ensureLanCertificates({ dir: join(root, "x"), addresses: ["not-an-ip"] }))).toBe(LocalCaErrorCode.LOCAL_CA_INVALID_ADDRESS);
    for (const name of ["10.0.0.7", "Mid.local", "mid_desk.local", "*.local", "-a.local", "mid.123", "0x7f000001", "mid.0x1"]) {
      expect(await refusal(ensureLanCertificates({ dir: join(root, "y"), addresses: ["192.168.0.23"], names: [name] })), name).toBe(LocalCaErrorCode.LOCAL_CA_INVALID_NAME);
    }
  });
});
