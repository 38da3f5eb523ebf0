/**
 * A local certificate authority for `pnpm start --lan`: created once under the data directory, it signs the
 * services' TLS certificate for the machine's LAN address, and a phone that installs its certificate trusts the
 * wallet and the counter pages served on the LAN. The CA's private key never leaves `<dir>/ca.key.pem` (0600, in
 * a 0700 directory): nothing serves it, and only its certificate is offered for installation.
 *
 * Certificates are made with `@peculiar/x509` (WebCrypto keys, ECDSA P-256, SHA-256); they are checked with
 * `node:crypto`'s X509Certificate, so what Node's TLS stack accepts is what is checked.
 */
// @peculiar/x509 resolves its ASN.1 codecs through tsyringe, which needs the Reflect metadata polyfill loaded first.
import "reflect-metadata";
import { X509Certificate, createHash, createPrivateKey } from "node:crypto";
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { isIP } from "node:net";
import { dirname, join } from "node:path";
import * as x509 from "@peculiar/x509";
import { MobileIdError } from "@mobile-id/core";
import { ensurePrivateDir } from "@mobile-id/core/data-files";

/** Stable codes of the local CA's refusals. */
export const LocalCaErrorCode = {
  /** The CA's key or certificate is unreadable, missing its partner, or the two do not belong together. */
  LOCAL_CA_DAMAGED: "LOCAL_CA_DAMAGED",
  /** The CA's key file can be read by others than its owner (mode not 0600), or its directory by others. */
  LOCAL_CA_KEY_EXPOSED: "LOCAL_CA_KEY_EXPOSED",
  /** The CA certificate has expired. */
  LOCAL_CA_EXPIRED: "LOCAL_CA_EXPIRED",
  /** An address to certify is not an IP address literal. */
  LOCAL_CA_INVALID_ADDRESS: "LOCAL_CA_INVALID_ADDRESS",
  /** A name to certify is not a DNS host name (letters, digits, hyphens, dots; not an IP address). */
  LOCAL_CA_INVALID_NAME: "LOCAL_CA_INVALID_NAME",
} as const;
export type LocalCaErrorCode = (typeof LocalCaErrorCode)[keyof typeof LocalCaErrorCode];

/** The CA as the rest of the services see it: its certificate only, never its key. */
export interface LocalCaCertificate {
  /** PEM of the CA certificate (what `ca:` of a TLS client takes). */
  readonly pem: string;
  /** DER of the CA certificate (what a phone installs, as `application/x-x509-ca-cert`). */
  readonly der: Buffer;
  /** SHA-256 of the DER, upper-case hex pairs joined by `:` (as phones and browsers show it). */
  readonly fingerprint256: string;
}

/** What {@link ensureLanCertificates} returns. */
export interface LanCertificates {
  readonly ca: LocalCaCertificate;
  /** The server's private key (PKCS#8 PEM) and certificate chain (leaf then CA, PEM) for `https.createServer`. */
  readonly server: { readonly key: string; readonly cert: string; readonly notAfter: Date };
  /** Whether the CA was created on this call (first `--lan` start on this data directory). */
  readonly caCreated: boolean;
  /** Whether a new server certificate was made on this call (first start, new address, near expiry, new CA). */
  readonly serverRenewed: boolean;
}

export interface EnsureLanCertificatesParameters {
  /** The directory holding the CA and the server certificate (made 0700), e.g. `<data-dir>/tls`. */
  readonly dir: string;
  /** IP addresses the server certificate names (the LAN address; 127.0.0.1 is always added). */
  readonly addresses: readonly string[];
  /**
   * DNS names the server certificate names besides `localhost`, e.g. `mid-desk.local`: a phone reaching the
   * services by name gets a secure context WebAuthn accepts (it refuses IP-address origins). Lower case.
   */
  readonly names?: readonly string[];
  /** The current time. Default: the system clock. */
  readonly now?: () => Date;
}

const CA_KEY = "ca.key.pem";
const CA_CERT = "ca.cert.pem";
const SERVER_KEY = "server.key.pem";
const SERVER_CERT = "server.cert.pem";
const DAY_MS = 86_400_000;
/** The CA lives 10 years: a phone installs it once. */
const CA_DAYS = 3650;
/**
 * The server certificate lives 397 days: Apple's platforms refuse TLS certificates valid longer than 398 days
 * (and 825 days for locally trusted roots), whatever trusts them.
 */
const SERVER_DAYS = 397;
/** A server certificate with less than this left is renewed on start. */
const RENEW_BEFORE_DAYS = 30;
const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;

/**
 * Makes sure `dir` holds a local CA (creating it on the first call, reusing it afterwards) and a server
 * certificate signed by it for `addresses` plus 127.0.0.1, and `names` plus `localhost`, renewed when an address or name is missing
 * from it, when it has less than 30 days left, or when it was not signed by this CA. Fails closed
 * ({@link LocalCaErrorCode}) on a damaged or exposed CA instead of silently making a new one: phones that
 * trust the old CA would stop trusting the services.
 *
 * @example
 * ```ts
 * const tls = await ensureLanCertificates({ dir: join(dataDir, "tls"), addresses: ["192.168.0.23"] });
 * https.createServer({ key: tls.server.key, cert: tls.server.cert }, handler);
 * console.log(tls.ca.fingerprint256); // compare with what the phone shows
 * ```
 */
export async function ensureLanCertificates(params: EnsureLanCertificatesParameters): Promise<LanCertificates> {
  const now = params.now?.() ?? new Date();
  const addresses = [...new Set([...params.addresses, "127.0.0.1"])];
  for (const a of addresses) {
    if (isIP(a) === 0) throw new MobileIdError(LocalCaErrorCode.LOCAL_CA_INVALID_ADDRESS, `${a} is not an IP address`, { details: { address: a } });
  }
  const names = [...new Set([...(params.names ?? []), "localhost"])];
  for (const n of names) {
    if (!isDnsName(n)) throw new MobileIdError(LocalCaErrorCode.LOCAL_CA_INVALID_NAME, `${n} is not a DNS host name`, { details: { name: n }, hint: "letters, digits and hyphens in dot-separated labels, lower case, e.g. mid-desk.local" });
  }
  ensurePrivateDir(params.dir);
  const { ca, caKeyPem, created } = await ensureCa(params.dir, now);
  const current = readServer(params.dir, ca, addresses, names, now);
  if (current !== undefined) return { ca: publicCa(ca), server: current, caCreated: created, serverRenewed: false };
  const server = await makeServer(params.dir, ca, caKeyPem, addresses, names, now);
  return { ca: publicCa(ca), server, caCreated: created, serverRenewed: true };
}

function publicCa(ca: X509Certificate): LocalCaCertificate {
  return { pem: ca.toString(), der: ca.raw, fingerprint256: fingerprint(ca.raw) };
}

/** SHA-256 of DER bytes as `AB:CD:…`. */
function fingerprint(der: Buffer): string {
  return (createHash("sha256").update(der).digest("hex").toUpperCase().match(/../g) ?? []).join(":");
}

async function ensureCa(dir: string, now: Date): Promise<{ ca: X509Certificate; caKeyPem: string; created: boolean }> {
  const keyPath = join(dir, CA_KEY);
  const certPath = join(dir, CA_CERT);
  const hasKey = existsSync(keyPath);
  const hasCert = existsSync(certPath);
  const hint = `move ${dir} away to make a new CA (every phone then has to install the new CA certificate)`;
  if (hasKey !== hasCert) {
    throw new MobileIdError(LocalCaErrorCode.LOCAL_CA_DAMAGED, `the local CA in ${dir} has its ${hasKey ? "key" : "certificate"} but not its ${hasKey ? "certificate" : "key"}`, { details: { dir }, hint });
  }
  if (hasKey) {
    const exposed = [dir, keyPath].filter((p) => (statSync(p).mode & 0o077) !== 0);
    if (exposed.length > 0) {
      throw new MobileIdError(LocalCaErrorCode.LOCAL_CA_KEY_EXPOSED, `the local CA's key is readable by others (${exposed.join(", ")})`, {
        details: { paths: exposed },
        hint: `chmod 700 ${dir} && chmod 600 ${keyPath}, and consider the CA compromised if others could read it (${hint})`,
      });
    }
    let ca: X509Certificate;
    let caKeyPem: string;
    try {
      ca = new X509Certificate(readFileSync(certPath));
      caKeyPem = readFileSync(keyPath, "utf8");
      if (!ca.ca || !ca.checkPrivateKey(createPrivateKey(caKeyPem))) throw new Error("the key does not belong to the certificate, or it is no CA certificate");
    } catch (e) {
      throw new MobileIdError(LocalCaErrorCode.LOCAL_CA_DAMAGED, `the local CA in ${dir} cannot be used: ${(e as Error).message}`, { details: { dir }, hint, cause: e });
    }
    if (new Date(ca.validTo).getTime() <= now.getTime()) {
      throw new MobileIdError(LocalCaErrorCode.LOCAL_CA_EXPIRED, `the local CA in ${dir} expired on ${ca.validTo}`, { details: { dir, validTo: ca.validTo }, hint });
    }
    return { ca, caKeyPem, created: false };
  }
  const keys = await globalThis.crypto.subtle.generateKey(EC, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=mobile-id local CA (${now.toISOString().slice(0, 10)}), O=mobile-id development`,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const caKeyPem = pemOf("PRIVATE KEY", await globalThis.crypto.subtle.exportKey("pkcs8", keys.privateKey));
  // The key first: a certificate without its key would be refused as damaged at the next start.
  writePrivateFile(keyPath, caKeyPem);
  writePrivateFile(certPath, cert.toString("pem"));
  return { ca: new X509Certificate(readFileSync(certPath)), caKeyPem, created: true };
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Whether `name` is a DNS host name a certificate can name and a browser keeps as a name: lower-case LDH labels, at
 * most 253 characters, and a last label that is not numeric (`mid.123`, `0x7f000001`: a URL parser reads a host
 * ending in a number as an IPv4 address).
 */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253 || isIP(name) !== 0) return false;
  const labels = name.split(".");
  if (!labels.every((l) => DNS_LABEL.test(l))) return false;
  const last = labels[labels.length - 1] as string;
  if (/^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/.test(last)) return false;
  try {
    return new URL(`https://${name}/`).hostname === name;
  } catch {
    return false;
  }
}

/** The stored server certificate when it is still good for `addresses` and `names` at `now`, else undefined. */
function readServer(dir: string, ca: X509Certificate, addresses: readonly string[], names: readonly string[], now: Date): LanCertificates["server"] | undefined {
  try {
    const key = readFileSync(join(dir, SERVER_KEY), "utf8");
    const chain = readFileSync(join(dir, SERVER_CERT), "utf8");
    const leaf = new X509Certificate(chain);
    const notAfter = new Date(leaf.validTo);
    if (!leaf.verify(ca.publicKey) || !leaf.checkIssued(ca) || !leaf.checkPrivateKey(createPrivateKey(key))) return undefined;
    if (notAfter.getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) return undefined;
    if (addresses.some((a) => leaf.checkIP(a) === undefined)) return undefined;
    if (names.some((n) => leaf.checkHost(n, { wildcards: false }) === undefined)) return undefined;
    return { key, cert: chain, notAfter };
  } catch {
    // Missing or unreadable: made anew (it is derived data; the CA is what must not change).
    return undefined;
  }
}

async function makeServer(dir: string, ca: X509Certificate, caKeyPem: string, addresses: readonly string[], names: readonly string[], now: Date): Promise<LanCertificates["server"]> {
  const signingKey = await globalThis.crypto.subtle.importKey("pkcs8", derOf(caKeyPem), EC, false, ["sign"]);
  const keys = await globalThis.crypto.subtle.generateKey(EC, true, ["sign", "verify"]);
  const caCert = new x509.X509Certificate(ca.raw);
  const notAfter = new Date(now.getTime() + SERVER_DAYS * DAY_MS);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${addresses[0] ?? "127.0.0.1"}, O=mobile-id development`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter,
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([...addresses.map((value) => ({ type: "ip" as const, value })), ...names.map((value) => ({ type: "dns" as const, value }))], false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  const key = pemOf("PRIVATE KEY", await globalThis.crypto.subtle.exportKey("pkcs8", keys.privateKey));
  // The chain carries the CA too, so that a client trusting the CA needs nothing else.
  const cert = `${leaf.toString("pem")}\n${ca.toString()}`;
  writePrivateFile(join(dir, SERVER_KEY), key);
  writePrivateFile(join(dir, SERVER_CERT), cert);
  return { key, cert, notAfter };
}

/** A positive 128-bit serial (hex, high bit clear so that DER needs no sign byte). */
function randomSerial(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString("hex");
}

function pemOf(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${b64.join("\n")}\n-----END ${label}-----\n`;
}

function derOf(pem: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64"));
}

/** Writes `text` to `path` with mode 0600, atomically (a crash leaves the old file or the new one, never half). */
function writePrivateFile(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    // A leftover temporary file keeps its old mode: make it private before anything is written to it.
    chmodSync(tmp, 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dirFd = openSync(dirname(path), "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
