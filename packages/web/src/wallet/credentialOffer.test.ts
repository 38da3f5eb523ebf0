import { describe, expect, it } from "vitest";
import { sameServicesFetch } from "./credentialOffer.ts";

describe("sameServicesFetch", () => {
  const seen: string[] = [];
  const base = (async (input: RequestInfo | URL) => {
    seen.push(String(input));
    return new Response("{}");
  }) as typeof fetch;

  it("fetches the services' other port of the same host at the same path on the wallet's origin; anything else as it is", async () => {
    seen.length = 0;
    const f = sameServicesFetch(base, "http://127.0.0.1:8081");
    await f("http://127.0.0.1:8080/.well-known/openid-credential-issuer/issuers/snu");
    await f(new URL("http://127.0.0.1:8080/issuers/snu/nonce?x=1"), { method: "POST" });
    await f("http://127.0.0.1:8081/issuers/snu/token");
    await f("https://127.0.0.1:8080/issuers/snu/token"); // another scheme: not the same services
    await f("http://evil.example:8080/issuers/snu/credential");
    expect(seen).toEqual([
      "http://127.0.0.1:8081/.well-known/openid-credential-issuer/issuers/snu",
      "http://127.0.0.1:8081/issuers/snu/nonce?x=1",
      "http://127.0.0.1:8081/issuers/snu/token",
      "https://127.0.0.1:8080/issuers/snu/token",
      "http://evil.example:8080/issuers/snu/credential",
    ]);
  });
});
