/**
 * `pnpm start --lan`: the machine's LAN address, its TLS certificate from the local CA under the data directory,
 * the CA install page, and what is printed for the phone (the wallet's address as a QR code).
 */
import type { Server } from "node:http";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import qrcode from "qrcode-terminal";
import { CA_CERTIFICATE_PATH, type LanCertificates, ensureLanCertificates, isDnsName, serveCaInstallPage } from "@mobile-id/server";

/**
 * The address to serve on: `override` when given (an IP literal), else the first IPv4 address of a network
 * interface that is neither internal (loopback) nor link-local (169.254/16, which no Wi-Fi router hands out).
 * Returns an error text when there is none, for the caller to print with its usage.
 */
export function lanAddress(override: string | undefined, interfaces = networkInterfaces()): { address: string } | { error: string } {
  if (override !== undefined) {
    if (isIP(override) === 0) return { error: `--lan-address ${override} is not an IP address` };
    // A certificate and the printed URLs name one address a phone can reach: "any address" is none of them.
    if (override === "0.0.0.0" || override === "::") return { error: `--lan-address must be the address a phone reaches, not ${override}` };
    return { address: override };
  }
  for (const list of Object.values(interfaces)) {
    for (const i of list ?? []) {
      if (i.family === "IPv4" && !i.internal && !i.address.startsWith("169.254.")) return { address: i.address };
    }
  }
  return { error: "no LAN address found (no non-loopback IPv4 interface is up); connect to the Wi-Fi or give --lan-address" };
}

/**
 * The local CA (made on the first `--lan` start) and the server certificate for `address` (and `name`, the host
 * name given with `--lan-name`), with what changed logged.
 */
export async function lanCertificates(dataDir: string, address: string, log: (line: string) => void, name?: string): Promise<LanCertificates> {
  const dir = join(dataDir, "tls");
  const tls = await ensureLanCertificates({ dir, addresses: [address], ...(name === undefined ? {} : { names: [name] }) });
  if (tls.caCreated) log(`created a local CA in ${dir} (its key stays there, mode 0600; phones install its certificate once)`);
  if (tls.serverRenewed) log(`made a TLS certificate for ${address}${name === undefined ? "" : `, ${name}`} and localhost, valid until ${tls.server.notAfter.toISOString().slice(0, 10)}`);
  return tls;
}

/**
 * The host name given with `--lan-name` (lower-cased), or an error. WebAuthn refuses an IP-address origin, so the
 * wallet unlocks with the phone's screen lock only when it is reached by name: the phone must resolve the name to
 * the LAN address (mDNS `<hostname>.local` as avahi advertises it, or the router's DNS).
 */
export function lanName(name: string | undefined): { name: string | undefined } | { error: string } {
  if (name === undefined) return { name: undefined };
  const lower = name.toLowerCase().replace(/\.$/, "");
  if (!isDnsName(lower)) return { error: `--lan-name ${name} is not a host name (dot-separated letters, digits and hyphens, not ending in a number, e.g. mid-desk.local)` };
  // A phone's "localhost" is the phone itself.
  if (lower === "localhost" || lower.endsWith(".localhost")) return { error: `--lan-name ${name} names the phone itself on the phone; give the name the phone reaches this machine by` };
  return { name: lower };
}

/** Starts the plain-HTTP page from which a phone installs the CA certificate; returns it and its URL. */
export async function startCaInstallPage(p: {
  host: string;
  /** The host name in the printed URL, when not `host` (`--lan-name`). */
  publicHost?: string | undefined;
  port: number;
  tls: LanCertificates;
  walletUrl: string;
  appsUrl: string;
}): Promise<{ server: Server; url: string }> {
  const server = await serveCaInstallPage({ host: p.host, port: p.port, ca: p.tls.ca, walletUrl: p.walletUrl, appsUrl: p.appsUrl });
  const address = server.address();
  const port = address !== null && typeof address === "object" ? address.port : p.port;
  const named = p.publicHost ?? p.host;
  const host = named.includes(":") ? `[${named}]` : named;
  return { server, url: `http://${host}:${port}/` };
}

/** What `pnpm start --lan` prints for the phone: install page, fingerprint, the wallet as a QR code. */
export function printLanBanner(p: { walletUrl: string; installUrl: string; tls: LanCertificates }): void {
  const wallet = `${p.walletUrl}/app/wallet/`;
  console.log(`\n  on a phone on the same Wi-Fi:`);
  console.log(`    1. install the CA certificate   ${p.installUrl}   (file: ${p.installUrl.replace(/\/$/, "")}${CA_CERTIFICATE_PATH})`);
  console.log(`       CA SHA-256 fingerprint       ${p.tls.ca.fingerprint256}`);
  console.log(`    2. open the wallet              ${wallet}`);
  qrcode.generate(wallet, { small: true }, (qr) => console.log(qr.replace(/^/gm, "       ")));
}
