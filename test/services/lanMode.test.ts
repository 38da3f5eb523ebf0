/**
 * `pnpm start --lan` as a real process (bound to 127.0.0.1 through --lan-address, as a test must): every app over
 * HTTPS with a certificate from the local CA under the data directory, the wallet on its own origin, and the CA
 * install page over plain HTTP. A client that trusts the CA alone reaches the services; one that does not is
 * refused. The CA key is served nowhere; the CA is made once and the next start uses the same one.
 */
import { X509Certificate } from "node:crypto";
import { type IncomingHttpHeaders, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { type NetworkInterfaceInfo, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lanAddress, lanName } from "../../scripts/lib/lanMode.ts";
import { NetworkProcess, freePort } from "../support/networkProcess.ts";

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** GET `url` with the path sent exactly as written (no normalisation), trusting only `ca` for HTTPS. */
function get(url: string, ca?: string, method = "GET", body?: string): Promise<Answer> {
  const u = new URL(url);
  // The raw path after the authority, so that `..` and `%2e%2e` reach the server unchanged.
  const path = url.slice(url.indexOf("/", url.indexOf("//") + 2));
  return new Promise((resolve, reject) => {
    const options = {
      host: u.hostname,
      port: u.port,
      path,
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(ca === undefined ? {} : { ca }),
      agent: false as const,
    };
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    req.end(body);
  });
}

describe("the LAN address", () => {
  const nic = (address: string, internal = false, family: "IPv4" | "IPv6" = "IPv4"): NetworkInterfaceInfo =>
    family === "IPv4"
      ? { address, internal, family, netmask: "255.255.255.0", mac: "00:00:00:00:00:00", cidr: null }
      : { address, internal, family, netmask: "ffff:ffff:ffff:ffff::", mac: "00:00:00:00:00:00", cidr: null, scopeid: 0 };

  it("is the first non-internal, non-link-local IPv4 address, or the one given", () => {
    const interfaces = {
      lo: [nic("127.0.0.1", true)],
      eth0: [nic("fe80::1", false, "IPv6"), nic("169.254.3.4")],
      wlan0: [nic("192.168.0.23"), nic("10.0.0.7")],
    };
    expect(lanAddress(undefined, interfaces)).toEqual({ address: "192.168.0.23" });
    expect(lanAddress("10.0.0.7", interfaces)).toEqual({ address: "10.0.0.7" });
    expect(lanAddress(undefined, { lo: [nic("127.0.0.1", true)] })).toHaveProperty("error");
    expect(lanAddress("phone.local", interfaces)).toHaveProperty("error");
    expect(lanAddress("0.0.0.0", interfaces)).toHaveProperty("error");
  });

  it("takes a host name for --lan-name (lower-cased, trailing dot dropped), never an address or a malformed name", () => {
    expect(lanName(undefined)).toEqual({ name: undefined });
    expect(lanName("Mid-Desk.local.")).toEqual({ name: "mid-desk.local" });
    expect(lanName("school-pc")).toEqual({ name: "school-pc" });
    for (const bad of ["10.0.0.7", "::1", "", "-mid.local", "mid_desk.local", "mid..local", "mid desk", "*.local", `${"a".repeat(64)}.local`, "http://mid.local", "mid.123", "0x7f000001", "mid.0x1", "localhost", "pc.localhost"]) {
      expect(lanName(bad), bad).toHaveProperty("error");
    }
  });
});

describe("pnpm start --lan", () => {
  let dataDir: string;
  let rpcPort: number;
  let caPagePort: number;
  let httpsPort: number;
  let walletPort: number;
  let net: NetworkProcess | undefined;
  let caPem: string;
  let fingerprint: string;
  const main = () => `https://127.0.0.1:${httpsPort}`;
  const wallet = () => `https://127.0.0.1:${walletPort}`;
  const caPage = () => `http://127.0.0.1:${caPagePort}`;

  const start = async (extra: readonly string[] = []): Promise<NetworkProcess> => {
    net = await NetworkProcess.start({
      dataDir,
      rpcPort,
      httpPort: caPagePort,
      walletPort,
      extraArgs: ["--lan", "--lan-address", "127.0.0.1", "--https-port", String(httpsPort), ...extra],
    });
    await net.waitForOutput(/Press Ctrl-C to stop/, 120_000);
    // Healthy once the services' ledger mirror is ready (asked over HTTPS, trusting the local CA).
    const deadline = Date.now() + 60_000;
    while ((await get(`${main()}/health`, readFileSync(join(dataDir, "tls", "ca.cert.pem"), "utf8")).then((a) => a.status, () => 0)) !== 200) {
      if (Date.now() > deadline) throw new Error(`not healthy over HTTPS; output:\n${net.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return net;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "mid-lan-"));
    [rpcPort, caPagePort, httpsPort, walletPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    await start();
    caPem = readFileSync(join(dataDir, "tls", "ca.cert.pem"), "utf8");
    fingerprint = new X509Certificate(caPem).fingerprint256;
  }, 150_000);

  afterAll(async () => {
    await net?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps the CA key 0600 in a 0700 directory and prints the CA's fingerprint and the wallet's address", () => {
    expect(statSync(join(dataDir, "tls")).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, "tls", "ca.key.pem")).mode & 0o777).toBe(0o600);
    const output = net?.output ?? "";
    expect(output).toContain(fingerprint);
    expect(output).toContain(`open the wallet              ${wallet()}/app/wallet/`);
    expect(output).toContain(`install the CA certificate   ${caPage()}/`);
    // The QR code: qrcode-terminal's small mode draws with half blocks.
    expect(output).toMatch(/▄▄▄▄▄▄▄/);
  });

  it("answers over HTTPS a client that trusts the local CA alone, and a client that does not is refused", async () => {
    const health = await get(`${main()}/health`, caPem);
    expect(health.status).toBe(200);
    const page = await get(`${wallet()}/app/wallet/`, caPem);
    expect(page.status).toBe(200);
    expect(String(page.headers["content-type"])).toMatch(/^text\/html/);
    // Without the CA (the system's roots only), the TLS handshake fails.
    const refused = await get(`${main()}/health`).then(
      () => "accepted",
      (e: { code?: string }) => e.code,
    );
    expect(refused).toMatch(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|DEPTH_ZERO_SELF_SIGNED_CERT)$/);
    // Nor does plain HTTP reach the services on their port.
    const plain = await get(`http://127.0.0.1:${httpsPort}/health`).then(
      (a) => a.status,
      () => "failed",
    );
    expect(plain === "failed" || plain === 400).toBe(true);
  });

  it("serves the wallet on its own origin, and the counter's request links point there", async () => {
    expect(new URL(wallet()).origin).not.toBe(new URL(main()).origin);
    // The other apps' pages are not served on the wallet's origin, whatever the path says.
    for (const path of ["/app/issuer/", "/app/verifier/", "/app/auditor/", "/app/wallet/../issuer/", "/app/wallet/%2e%2e/verifier/index.html"]) {
      const a = await get(`${wallet()}${path}`, caPem);
      expect(a.status, path).toBe(302);
      expect(String(a.headers.location), path).toMatch(new RegExp(`^${main()}/app/(issuer|verifier|auditor)/`));
    }
    // The wallet is not served on the main origin: it moves to its own.
    const moved = await get(`${main()}/app/wallet/`, caPem);
    expect(moved.status).toBe(302);
    expect(moved.headers.location).toBe(`${wallet()}/app/wallet/`);
    // Agency routes do not exist on the wallet's origin.
    expect((await get(`${wallet()}/issuers/snu/credentials`, caPem, "POST", "{}")).status).toBe(404);
    // A request made at the counter: the wallet fetches it and answers on its own origin.
    const created = await get(`${main()}/verifier/requests`, caPem, "POST", JSON.stringify({ credentialTypes: ["StudentIDCredential"] }));
    expect(created.status).toBe(201);
    const view = JSON.parse(created.body.toString()) as { requestUri: string; responseUri: string; qrCodeUri: string };
    expect(new URL(view.requestUri).origin).toBe(wallet());
    expect(new URL(view.responseUri).origin).toBe(wallet());
    expect(new URL(view.qrCodeUri).origin).toBe(main());
    expect((await get(view.requestUri, caPem)).status).toBe(200);
  });

  it("serves the CA certificate for phones over plain HTTP, with the install page, and never the CA key", async () => {
    const cert = await get(`${caPage()}/mobile-id-ca.crt`);
    expect(cert.status).toBe(200);
    expect(cert.headers["content-type"]).toBe("application/x-x509-ca-cert");
    expect(new X509Certificate(cert.body).fingerprint256).toBe(fingerprint);
    const page = await get(`${caPage()}/`);
    const html = page.body.toString();
    expect(page.status).toBe(200);
    expect(html).toContain(fingerprint);
    for (const word of ["안드로이드", "Android", "아이폰", "iPhone", "인증서 신뢰 설정", "Certificate Trust Settings"]) expect(html).toContain(word);
    // The key's bytes (PEM body, and its DER) appear in no answer of any of the three listeners.
    const keyPem = readFileSync(join(dataDir, "tls", "ca.key.pem"), "utf8");
    const keyB64 = keyPem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
    const keyDer = Buffer.from(keyB64, "base64");
    const probes = [
      "/", "/app/", "/app/wallet/", "/mobile-id-ca.crt", "/ca.key.pem", "/tls/ca.key.pem", "/mobile-id-ca.key",
      "/app/../tls/ca.key.pem", "/app/%2e%2e/%2e%2e/tls/ca.key.pem", "/app/wallet/../../../tls/ca.key.pem",
      `/app/${encodeURIComponent(join(dataDir, "tls", "ca.key.pem"))}`, "/network", "/openapi.json", "/health",
    ];
    let answered = 0;
    for (const base of [caPage(), main(), wallet()]) {
      for (const path of probes) {
        const a = await get(`${base}${path}`, caPem);
        answered++;
        expect(a.body.includes(keyDer), `${base}${path}`).toBe(false);
        expect(a.body.toString("latin1").replace(/\s+/g, ""), `${base}${path}`).not.toContain(keyB64.slice(0, 60));
      }
    }
    expect(answered).toBe(3 * probes.length);
  });

  it("uses the same CA and server certificate on the next start", async () => {
    const leafBefore = readFileSync(join(dataDir, "tls", "server.cert.pem"), "utf8");
    await net?.stop();
    await start();
    expect(net?.output).not.toContain("created a local CA");
    expect(net?.output).not.toContain("made a TLS certificate");
    expect(net?.output).toContain(fingerprint);
    expect(readFileSync(join(dataDir, "tls", "server.cert.pem"), "utf8")).toBe(leafBefore);
    expect((await get(`${main()}/health`, caPem)).status).toBe(200);
  }, 150_000);

  it("--lan-name puts the phone's name for the machine in the certificate and in every URL (WebAuthn refuses IP origins)", async () => {
    await net?.stop();
    await start(["--lan-name", "Mid-Desk.test"]);
    const output = net?.output ?? "";
    // The same CA (phones keep trusting it); a new server certificate naming the host too.
    expect(output).not.toContain("created a local CA");
    expect(output).toContain("made a TLS certificate for 127.0.0.1, mid-desk.test and localhost");
    expect(output).toContain(fingerprint);
    expect(output).toContain(`open the wallet              https://mid-desk.test:${walletPort}/app/wallet/`);
    expect(output).toContain(`install the CA certificate   http://mid-desk.test:${caPagePort}/`);
    const leaf = new X509Certificate(readFileSync(join(dataDir, "tls", "server.cert.pem")));
    expect(leaf.checkHost("mid-desk.test")).toBe("mid-desk.test");
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    // A client reaching the services by that name (resolved here to the address listened on) verifies the
    // certificate for the name, trusting the local CA alone; the issuer's metadata names the named origin.
    const metadata = await new Promise<Answer>((resolve, reject) => {
      const req = httpsRequest(
        { host: "127.0.0.1", servername: "mid-desk.test", port: httpsPort, path: "/.well-known/openid-credential-issuer/issuers/snu", ca: caPem, agent: false, headers: { host: `mid-desk.test:${httpsPort}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(metadata.status).toBe(200);
    expect((JSON.parse(metadata.body.toString()) as { credential_issuer: string }).credential_issuer).toBe(`https://mid-desk.test:${httpsPort}/issuers/snu`);
    // An absolute-form target naming the host name is this server's (not a proxy request for another host: 421).
    const absolute = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest({ host: "127.0.0.1", servername: "mid-desk.test", port: httpsPort, path: `https://mid-desk.test:${httpsPort}/health`, ca: caPem, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(absolute).toBe(200);
  }, 150_000);
});
