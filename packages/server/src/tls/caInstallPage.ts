import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { LocalCaCertificate } from "./localCa.ts";

export interface ServeCaInstallPageParameters {
  /** The address to listen on (the LAN address). */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The local CA's certificate (never its key: this page has nothing else to serve). */
  readonly ca: LocalCaCertificate;
  /** The wallet's HTTPS address, shown once the CA is trusted. */
  readonly walletUrl: string;
  /** The other pages' HTTPS address (counter, console, dashboard). */
  readonly appsUrl: string;
}

/** The path of the CA certificate on the install page's server. */
export const CA_CERTIFICATE_PATH = "/mobile-id-ca.crt";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(p: ServeCaInstallPageParameters): string {
  const fp = escapeHtml(p.ca.fingerprint256);
  const wallet = escapeHtml(`${p.walletUrl}/app/wallet/`);
  const apps = escapeHtml(`${p.appsUrl}/app/`);
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mobile-id 인증서 설치 / Install the mobile-id certificate</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;color:#111;background:#fff}
a.button{display:inline-block;padding:.75rem 1.25rem;background:#0b57d0;color:#fff;border-radius:.5rem;text-decoration:none;font-weight:600}
code{word-break:break-all;background:#f1f3f4;padding:.1rem .25rem}h2{margin-top:2rem}</style></head>
<body>
<h1>mobile-id 개발용 인증서 / development certificate</h1>
<p><a class="button" href="${CA_CERTIFICATE_PATH}" download="mobile-id-ca.crt">인증서 내려받기 / Download the certificate</a></p>
<p>SHA-256 지문 / fingerprint:<br><code id="fingerprint">${fp}</code></p>
<p>휴대폰이 보여 주는 지문이 컴퓨터 화면(<code>pnpm start --lan</code>)에 나온 지문과 같은지 확인하세요.
Check that the fingerprint your phone shows is the one printed by <code>pnpm start --lan</code> on the computer.</p>

<section lang="ko">
<h2>안드로이드</h2>
<ol>
<li>위 단추로 인증서를 내려받습니다.</li>
<li>설정 → 보안 및 개인정보 보호 → 기타 보안 설정 → 암호화 및 사용자 인증 정보 → 인증서 설치 → <b>CA 인증서</b>를 누르고, 내려받은 <code>mobile-id-ca.crt</code>를 고릅니다 (메뉴 이름은 기종마다 조금 다릅니다).</li>
<li>Chrome에서 지갑 주소를 엽니다: <a href="${wallet}">${wallet}</a></li>
</ol>
<h2>아이폰·아이패드</h2>
<ol>
<li>Safari에서 이 페이지를 열고 위 단추를 누른 뒤 <b>허용</b>을 누릅니다.</li>
<li>설정 → 일반 → VPN 및 기기 관리 → "mobile-id local CA" → <b>설치</b>.</li>
<li>설정 → 일반 → 정보 → 인증서 신뢰 설정 → "mobile-id local CA"를 켭니다.</li>
<li>Safari에서 지갑 주소를 엽니다: <a href="${wallet}">${wallet}</a></li>
</ol>
<p>이 인증서는 이 컴퓨터에서 개발·시연용으로만 쓰입니다. 다 쓰면 같은 메뉴에서 지우세요.</p>
</section>

<section lang="en">
<h2>Android</h2>
<ol>
<li>Download the certificate with the button above.</li>
<li>Settings → Security &amp; privacy → More security settings → Encryption &amp; credentials → Install a certificate → <b>CA certificate</b>, and pick the downloaded <code>mobile-id-ca.crt</code> (menu names vary by maker).</li>
<li>Open the wallet in Chrome: <a href="${wallet}">${wallet}</a></li>
</ol>
<h2>iPhone and iPad</h2>
<ol>
<li>Open this page in Safari, tap the button above, then <b>Allow</b>.</li>
<li>Settings → General → VPN &amp; Device Management → "mobile-id local CA" → <b>Install</b>.</li>
<li>Settings → General → About → Certificate Trust Settings → turn on "mobile-id local CA".</li>
<li>Open the wallet in Safari: <a href="${wallet}">${wallet}</a></li>
</ol>
<p>This certificate is for development and demonstrations on this computer only. Remove it from the same menu when you are done.</p>
</section>
<p>검증 창구·발급 콘솔 / counter and console: <a href="${apps}">${apps}</a></p>
</body></html>
`;
}

/**
 * Serves, over plain HTTP (a phone cannot yet trust the HTTPS services), the page from which a phone installs
 * the local CA's certificate: `GET /` (steps for Android and iOS in Korean and English, and the certificate's
 * SHA-256 fingerprint to compare) and `GET /mobile-id-ca.crt` (DER, `application/x-x509-ca-cert`, the type that
 * makes Android and iOS offer to install it). Nothing else is served; the CA's key is not even known here.
 *
 * @example
 * ```ts
 * const server = await serveCaInstallPage({ host: "192.168.0.23", port: 8080, ca: tls.ca, walletUrl: services.walletUrl, appsUrl: services.url });
 * ```
 */
export async function serveCaInstallPage(p: ServeCaInstallPageParameters): Promise<Server> {
  const html = Buffer.from(page(p));
  const send = (res: ServerResponse, status: number, type: string, body: Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      "content-type": type,
      "content-length": String(body.length),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
      ...extra,
    });
    res.end(body);
  };
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "application/json", Buffer.from(JSON.stringify({ error: { code: "METHOD_NOT_ALLOWED", message: "only GET" } })), { allow: "GET, HEAD" });
    } else if (path === "/") {
      send(res, 200, "text/html; charset=utf-8", html);
    } else if (path === CA_CERTIFICATE_PATH) {
      send(res, 200, "application/x-x509-ca-cert", p.ca.der, { "content-disposition": 'attachment; filename="mobile-id-ca.crt"' });
    } else {
      send(res, 404, "application/json", Buffer.from(JSON.stringify({ error: { code: "NOT_FOUND", message: "this address serves the CA certificate page only" } })));
    }
  });
  server.maxConnections = 64;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(p.port, p.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}
