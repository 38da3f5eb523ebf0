/** OpenID4VP helpers for tests and `bench:http`: the counter's side over HTTP. Not production API. */

export interface CreatedOpenid4vpRequest {
  readonly id: string;
  readonly link: string;
  readonly requestUri: string;
  readonly responseUri: string;
  readonly qrCodeUri: string;
  readonly clientId: string;
  readonly expiresAt: number;
  readonly responseMode: "direct_post" | "direct_post.jwt";
  readonly state: string;
  readonly counterToken: string;
  readonly relyingParty: { readonly did: string; readonly name: string; readonly purpose: string };
}

/** "Name and student status" of a student ID as an SD-JWT VC (the claims the dev counter is registered for). */
export const STUDENT_STATUS_QUERY = {
  credentials: [
    {
      id: "student",
      format: "dc+sd-jwt",
      meta: { vct_values: ["urn:mobile-id:vct:StudentIDCredential:1"] },
      claims: [{ path: ["givenName"] }, { path: ["enrollmentStatus"] }],
    },
  ],
} as const;

/** Creates an OpenID4VP request at the counter API; throws with the answer when it is not 201. */
export async function createOpenid4vpRequest(
  url: string,
  dcqlQuery: unknown,
  ttlSeconds = 600,
  responseMode: "direct_post" | "direct_post.jwt" = "direct_post",
): Promise<CreatedOpenid4vpRequest> {
  const r = await fetch(`${url}/verifier/openid4vp/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ dcqlQuery, ttlSeconds, responseMode }),
  });
  const body = (await r.json()) as unknown;
  if (r.status !== 201) throw new Error(`openid4vp request failed: ${r.status} ${JSON.stringify(body)}`);
  return body as CreatedOpenid4vpRequest;
}

/** The counter's poll of a request's result. */
export async function pollOpenid4vpResult(url: string, created: Pick<CreatedOpenid4vpRequest, "id" | "counterToken">): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${url}/verifier/openid4vp/requests/${created.id}/result`, { headers: { authorization: `Bearer ${created.counterToken}` } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

/** Posts a direct_post response form (as a wallet does). */
export async function postOpenid4vpResponse(responseUri: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(responseUri, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}
