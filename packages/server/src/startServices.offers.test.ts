import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestHolder, type TestServices, issueStudentIds, startTestServices } from "./testing.ts";

describe("credential offers with the real verifier", () => {
  let services: TestServices;
  let holder: TestHolder;
  const offer = (credential: string) =>
    fetch(`${services.url}/issuers/snu/offers`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${services.apiKeys["snu"] ?? ""}` },
      body: JSON.stringify({ credential }),
    });

  beforeAll(async () => {
    services = await startTestServices();
    [holder] = (await issueStudentIds(services, 1)) as [TestHolder];
  }, 120_000);
  afterAll(() => services?.close());

  it("stores an offer of a credential the agency really signed", async () => {
    expect((await offer(holder.credential)).status).toBe(201);
  });

  it("refuses an offer whose credential's signature does not verify", async () => {
    const [header, payload, signature] = holder.credential.split(".") as [string, string, string];
    // Another valid-looking signature: the same bytes with the middle character changed.
    const i = Math.floor(signature.length / 2);
    const forged = `${header}.${payload}.${signature.slice(0, i)}${signature[i] === "A" ? "B" : "A"}${signature.slice(i + 1)}`;
    const r = await offer(forged);
    expect(r.status).toBe(422);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("OFFER_CREDENTIAL_INVALID");
  });
});
