import { describe, expect, it } from "vitest";
import type { AuthorizationRequest, VerifyAuthorizationResponseReturnType } from "@mobile-id/verifier";
import { createOpenid4vpSessionStore } from "./openid4vpStore.ts";

const request = (expiresAt: number) => ({ expiresAt }) as AuthorizationRequest;
const declined: VerifyAuthorizationResponseReturnType = { declined: true, verified: false, code: undefined, error: "access_denied", errorDescription: undefined };

describe("OpenID4VP session store", () => {
  it("expires open requests, hands the outcome to the counter once, checks the counter token, and purges", () => {
    const store = createOpenid4vpSessionStore({ outcomeTtlSeconds: 60 });
    const { session, counterToken } = store.create(request(1_100), 1_000);
    expect(store.isCounterToken(session.id, counterToken)).toBe(true);
    expect(store.isCounterToken(session.id, `${counterToken}x`)).toBe(false);
    expect(store.get(session.id, 1_100)?.state).toBe("pending");
    expect(store.get(session.id, 1_101)?.state).toBe("expired");

    const answered = store.create(request(1_100), 1_000).session;
    Object.assign(answered, { outcome: declined, answeredAt: 1_050, state: "declined", answered: true });
    expect(store.takeForCounter(answered.id, 1_060)?.outcome).toEqual(declined);
    const again = store.takeForCounter(answered.id, 1_061);
    expect({ outcome: again?.outcome, read: again?.outcomeRead, state: again?.state }).toEqual({ outcome: undefined, read: true, state: "declined" });

    store.purge(1_161);
    expect(store.get(session.id, 1_161)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it("refuses new requests beyond its cap", () => {
    const store = createOpenid4vpSessionStore({ maxOpen: 2 });
    store.create(request(2_000), 1_000);
    store.create(request(2_000), 1_000);
    expect(() => store.create(request(2_000), 1_000)).toThrow();
  });
});
