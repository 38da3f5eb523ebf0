import { randomBytes } from "node:crypto";
import { setGlobalConfig } from "@openid4vc/oauth2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toEthrDid } from "@mobile-id/core";
import { presentSdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { nodeP256Signer } from "@mobile-id/core/sd-jwt-vc/node";
import { createLibraryHolder } from "@mobile-id/verifier/testing";
import {
  STUDENT_STATUS_QUERY,
  type TestServices,
  createOpenid4vpRequest,
  issueStudentIds,
  pollOpenid4vpResult,
  postOpenid4vpResponse,
  presentationFor,
  startTestServices,
} from "./testing.ts";

const CLAIMS = { familyName: "김", givenName: "민준", birthDate: "2005-03-14", studentNumber: "2026-12345", institution: "서울대학교", enrollmentStatus: "enrolled" };
const JWT_QUERY = {
  credentials: [
    { id: "student", format: "jwt_vc_json", meta: { type_values: [["VerifiableCredential", "StudentIDCredential"]] }, claims: [{ path: ["credentialSubject", "enrollmentStatus"] }] },
  ],
};

/**
 * Issue 11 over HTTP on the services (anvil): the counter creates an OpenID4VP request signed by the registered
 * relying party (dev account 9), a holder built on `@openid4vc/openid4vp` fetches it by request_uri and answers by
 * direct_post, and the counter's poll sees the verified claims, or `declined` at once; bad input gets OAuth errors.
 */
describe("OpenID4VP verifier routes (services, anvil)", () => {
  let services: TestServices;
  const holder = createLibraryHolder();
  const copies: { copy: string; key: ReturnType<typeof nodeP256Signer> }[] = [];

  async function sdJwtCopy() {
    const key = nodeP256Signer(randomBytes(32));
    const r = await fetch(`${services.url}/issuers/snu/sd-jwt-vc`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${services.apiKeys["snu"] ?? ""}` },
      body: JSON.stringify({ type: "StudentIDCredential", claims: CLAIMS, holderKeys: [key.publicJwk] }),
    });
    expect(r.status).toBe(201);
    const copy = { copy: ((await r.json()) as { copies: string[] }).copies[0] as string, key };
    copies.push(copy);
    return copy;
  }
  const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString()) as Record<string, unknown>;

  beforeAll(async () => {
    setGlobalConfig({ allowInsecureUrls: true });
    services = await startTestServices();
  }, 120_000);
  afterAll(async () => {
    setGlobalConfig({ allowInsecureUrls: false });
    await services?.close();
  });

  it("dc+sd-jwt: signed request object by request_uri, library holder answers by direct_post, the counter sees the claims and ledgerAsOf", async () => {
    const created = await createOpenid4vpRequest(services.url, STUDENT_STATUS_QUERY);
    const counter = toEthrDid(services.descriptor.chainId, await services.roster.relyingParties[0]!.signer.getAddress());
    expect(created.clientId).toBe(`decentralized_identifier:${counter}`);
    expect(created.link).toBe(`openid4vp://?client_id=${encodeURIComponent(created.clientId)}&request_uri=${encodeURIComponent(created.requestUri)}`);
    expect(created.relyingParty.name).toMatch(/verifier counter/);
    const served = await fetch(created.requestUri);
    expect(served.headers.get("content-type")).toContain("application/oauth-authz-req+jwt");
    const jar = await served.text();
    expect(JSON.parse(Buffer.from(jar.split(".")[0] as string, "base64url").toString())).toEqual({ alg: "ES256K", typ: "oauth-authz-req+jwt", kid: `${counter}#controller` });
    expect(payloadOf(jar)).toMatchObject({ client_id: created.clientId, response_mode: "direct_post", response_uri: created.responseUri, response_type: "vp_token" });
    expect((await pollOpenid4vpResult(services.url, created)).body["state"]).toBe("fetched");

    const resolved = await holder.resolve(created.link);
    const { copy, key } = await sdJwtCopy();
    const r = resolved.authorizationRequestPayload as { nonce: string; client_id: string };
    const presentation = await presentSdJwtVc({ credential: copy, claims: [["givenName"], ["enrollmentStatus"]], audience: r.client_id, nonce: r.nonce, issuedAt: Math.floor(Date.now() / 1000), holderSigner: key });
    const answered = await holder.answer(resolved, { student: [presentation] });
    expect(answered.status).toBe(200);

    const result = await pollOpenid4vpResult(services.url, created);
    expect(result.body).toMatchObject({
      state: "verified",
      outcome: { verified: true, credentials: [{ credentialQueryId: "student", type: "StudentIDCredential", claims: { givenName: "민준", enrollmentStatus: "enrolled" } }] },
    });
    expect((result.body["outcome"] as { ledgerAsOf?: { blockNumber: number } }).ledgerAsOf?.blockNumber).toBeGreaterThan(0);
    // Returned once: the claims are erased after the counter read them.
    expect((await pollOpenid4vpResult(services.url, created)).body).toMatchObject({ state: "verified", outcomeRead: true });
    expect((await pollOpenid4vpResult(services.url, created)).body["outcome"]).toBeUndefined();

    // The same response again: refused (one response per request).
    const again = await holder.answer(resolved, { student: [presentation] });
    expect({ status: again.status, body: await again.json() }).toMatchObject({ status: 400, body: { error: "invalid_request", mobile_id_code: "REPLAYED" } });
  });

  it("direct_post.jwt: the library encrypts the response to the request's key; a clear response to it is refused without spending it", async () => {
    const created = await createOpenid4vpRequest(services.url, STUDENT_STATUS_QUERY, 600, "direct_post.jwt");
    expect(created.responseMode).toBe("direct_post.jwt");
    const resolved = await holder.resolve(created.link);
    const r = resolved.authorizationRequestPayload as { nonce: string; client_id: string; state: string };
    const { copy, key } = await sdJwtCopy();
    const presentation = await presentSdJwtVc({ credential: copy, claims: [["givenName"], ["enrollmentStatus"]], audience: r.client_id, nonce: r.nonce, issuedAt: Math.floor(Date.now() / 1000), holderSigner: key });
    const clear = await postOpenid4vpResponse(created.responseUri, { state: r.state, vp_token: JSON.stringify({ student: [presentation] }) });
    expect(clear).toMatchObject({ status: 400, body: { error: "invalid_request", mobile_id_code: "MALFORMED" } });
    expect((await holder.answer(resolved, { student: [presentation] })).status).toBe(200);
    expect((await pollOpenid4vpResult(services.url, created)).body).toMatchObject({ state: "verified", outcome: { verified: true, credentials: [{ claims: { givenName: "민준" } }] } });
  });

  it("jwt_vc_json: a VP JWT answers through the library; only the asked claim reaches the counter", async () => {
    const [student] = await issueStudentIds(services, 1);
    const created = await createOpenid4vpRequest(services.url, JWT_QUERY);
    const resolved = await holder.resolve(created.link);
    const r = resolved.authorizationRequestPayload as { nonce: string; client_id: string };
    const vp = await presentationFor(student!, { domain: r.client_id, challenge: r.nonce, credentialTypes: [], expiresAt: created.expiresAt });
    expect((await holder.answer(resolved, { student: [vp] })).status).toBe(200);
    expect((await pollOpenid4vpResult(services.url, created)).body).toMatchObject({
      state: "verified",
      outcome: { verified: true, credentials: [{ format: "jwt-vc", claims: { enrollmentStatus: "enrolled" } }] },
    });
  });

  it("a decline is recorded at once; a refused presentation is rejected with its code", async () => {
    const declined = await createOpenid4vpRequest(services.url, STUDENT_STATUS_QUERY);
    expect((await holder.decline(await holder.resolve(declined.link))).status).toBe(200);
    expect((await pollOpenid4vpResult(services.url, declined)).body).toMatchObject({ state: "declined", outcome: { declined: true, error: "access_denied" } });

    const wrong = await createOpenid4vpRequest(services.url, STUDENT_STATUS_QUERY);
    const resolved = await holder.resolve(wrong.link);
    const { copy, key } = await sdJwtCopy();
    const r = resolved.authorizationRequestPayload as { client_id: string };
    const presentation = await presentSdJwtVc({ credential: copy, claims: [["givenName"], ["enrollmentStatus"]], audience: r.client_id, nonce: "n".repeat(43), issuedAt: Math.floor(Date.now() / 1000), holderSigner: key });
    const res = await holder.answer(resolved, { student: [presentation] });
    expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 400, body: { error: "invalid_request", mobile_id_code: "CHALLENGE_MISMATCH" } });
    expect((await pollOpenid4vpResult(services.url, wrong)).body).toMatchObject({ state: "rejected", outcome: { verified: false, code: "CHALLENGE_MISMATCH" } });
  });

  it("bad input gets OAuth errors with their status, never a 500", async () => {
    const created = await createOpenid4vpRequest(services.url, STUDENT_STATUS_QUERY);
    const unknown = created.responseUri.replace(created.id, "A".repeat(22));
    expect(await postOpenid4vpResponse(unknown, { state: "x", vp_token: "{}" })).toMatchObject({ status: 400, body: { error: "invalid_request", mobile_id_code: "REQUEST_NOT_FOUND" } });
    expect(await postOpenid4vpResponse(created.responseUri, { state: "other", vp_token: "{}" })).toMatchObject({ status: 400, body: { error: "invalid_request", mobile_id_code: "STATE_MISMATCH" } });
    expect(await postOpenid4vpResponse(created.responseUri, { state: created.state })).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    const huge = await fetch(created.responseUri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `vp_token=${"a".repeat(2_000_000)}`,
    });
    expect({ status: huge.status, body: await huge.json() }).toMatchObject({ status: 413, body: { error: "invalid_request" } });
    const dup = await fetch(created.responseUri, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "state=a&state=b" });
    expect({ status: dup.status, body: await dup.json() }).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    const missing = await fetch(created.requestUri.replace(created.id, "B".repeat(22)));
    expect({ status: missing.status, body: await missing.json() }).toMatchObject({ status: 404, body: { error: "invalid_request" } });
    // None of the bad answers spent the request: it is still open for the real one.
    expect((await pollOpenid4vpResult(services.url, created)).body["state"]).toBe("pending");
  });

  it("the counter API refuses oversized and invalid DCQL, and claims outside the counter's registration", async () => {
    const post = (body: unknown) =>
      fetch(`${services.url}/verifier/openid4vp/requests`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { error: { code: string } },
      }));
    const many = { credentials: Array.from({ length: 9 }, (_, i) => ({ ...STUDENT_STATUS_QUERY.credentials[0], id: `q${i}` })) };
    expect(await post({ dcqlQuery: many })).toMatchObject({ status: 413, body: { error: { code: "DCQL_TOO_LARGE" } } });
    expect((await post({ dcqlQuery: { credentials: [{ ...STUDENT_STATUS_QUERY.credentials[0], claims: [{ path: ["x".repeat(40_000)] }] }] } })).status).toBe(413);
    expect(await post({ dcqlQuery: { credentials: [] } })).toMatchObject({ status: 400, body: { error: { code: "DCQL_INVALID" } } });
    const outside = { credentials: [{ ...STUDENT_STATUS_QUERY.credentials[0], claims: [{ path: ["age_equal_or_over", "18"] }] }] };
    expect(await post({ dcqlQuery: outside })).toMatchObject({ status: 422, body: { error: { code: "CLAIM_NOT_PERMITTED" } } });
    const poll = await fetch(`${services.url}/verifier/openid4vp/requests/${"C".repeat(22)}/result`, { headers: { authorization: "Bearer x" } });
    expect(poll.status).toBe(404);
  });
});
