import fc from "fast-check";
import { verifyPresentation as didJwtVcVerifyPresentation } from "did-jwt-vc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEthrDidResolver } from "@mobile-id/chain";
import { encodeBase64url } from "@mobile-id/core";
import { type TestIssuer, type TestKit, signJwt, startTestKit } from "./testing.ts";

describe("adversarial input", () => {
  let kit: TestKit;
  let student: TestIssuer;

  beforeAll(async () => {
    kit = await startTestKit();
    student = kit.issuerFor("StudentIDCredential");
  });
  afterAll(() => kit.close());

  it("never throws and never verifies for any value", async () => {
    const verifier = kit.verifier();
    const request = kit.request();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.string({ maxLength: 500 }),
          fc.stringMatching(/^[A-Za-z0-9_-]{0,80}\.[A-Za-z0-9_-]{0,80}\.[A-Za-z0-9_-]{0,90}$/),
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1")),
        ),
        async (value) => {
          const outcome = await verifier.verifyPresentation({ presentation: value, request });
          expect(outcome.verified).toBe(false);
          expect(outcome.code).toBeDefined();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never verifies a valid presentation with any one character changed", async () => {
    const holder = kit.newHolder();
    const vc = kit.issue({ issuer: student, holder }).jwt;
    const verifier = kit.verifier();
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ~";
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...alphabet), async (at, ch) => {
        const request = kit.request();
        const vp = kit.present({ holder, credentials: [vc], request });
        const i = at % vp.length;
        if (vp[i] === ch) return;
        const mutated = vp.slice(0, i) + ch + vp.slice(i + 1);
        const outcome = await verifier.verifyPresentation({ presentation: mutated, request });
        expect(outcome.verified).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("never verifies a correctly re-signed presentation around a credential with one character changed", async () => {
    const holder = kit.newHolder();
    const vc = kit.issue({ issuer: student, holder }).jwt;
    const verifier = kit.verifier();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(..."AQgw-_.xyz019"), async (at, ch) => {
        const i = at % vc.length;
        if (vc[i] === ch) return;
        const request = kit.request();
        const vp = kit.present({ holder, credentials: [vc.slice(0, i) + ch + vc.slice(i + 1)], request });
        expect((await verifier.verifyPresentation({ presentation: vp, request })).verified).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("never throws for signed presentations with random payloads", async () => {
    const holder = kit.newHolder();
    const verifier = kit.verifier();
    const request = kit.request();
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom("iss", "aud", "nonce", "nbf", "exp", "iat", "jti", "vp", "sub"), fc.jsonValue()), async (payload) => {
        const vp = signJwt({ alg: "ES256K" }, payload, holder.privateKey);
        expect((await verifier.verifyPresentation({ presentation: vp, request })).verified).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("never verifies oversized or deeply nested JSON, quickly", async () => {
    const verifier = kit.verifier();
    const request = kit.request();
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const token = `${encodeBase64url('{"alg":"ES256K"}')}.${encodeBase64url(deep)}.${encodeBase64url(new Uint8Array(64))}`;
    const started = performance.now();
    expect((await verifier.verifyPresentation({ presentation: token, request })).verified).toBe(false);
    expect((await verifier.verifyPresentation({ presentation: "x".repeat(50_000_000), request })).code).toBe("TOO_LARGE");
    expect(performance.now() - started).toBeLessThan(1000);
  });

  describe("where did-jwt-vc's verifyPresentation accepts what ours refuses", () => {
    const didJwtVcResolver = () => createEthrDidResolver({ provider: kit.net.chain.provider, descriptor: kit.net.descriptor, cache: false });

    it.each<[string, (k: TestKit) => { vp: string; request: ReturnType<TestKit["request"]> }]>([
      [
        "an embedded credential with a forged issuer signature",
        (k) => {
          const holder = k.newHolder();
          const request = k.request();
          const forged = k.issue({ issuer: student, holder, signingKey: k.newHolder().privateKey }).jwt;
          return { vp: k.present({ holder, credentials: [forged], request }), request };
        },
      ],
      [
        "someone else's credential, presented by a stranger",
        (k) => {
          const stranger = k.newHolder();
          const request = k.request();
          const stolen = k.issue({ issuer: student, holder: k.newHolder() }).jwt;
          return { vp: k.present({ holder: stranger, credentials: [stolen], request }), request };
        },
      ],
      [
        "a credential whose vc.issuer names another issuer than the signed iss",
        (k) => {
          const holder = k.newHolder();
          const request = k.request();
          const vc = k.issue({ issuer: student, holder, mutate: (p) => ((p["vc"] as Record<string, unknown>)["issuer"] = k.issuerFor("ResidentIDCredential").did) }).jwt;
          return { vp: k.present({ holder, credentials: [vc], request }), request };
        },
      ],
      [
        "a credential with exp as a string (never expires for did-jwt)",
        (k) => {
          const holder = k.newHolder();
          const request = k.request();
          const vc = k.issue({ issuer: student, holder, mutate: (p) => (p["exp"] = "1") }).jwt;
          return { vp: k.present({ holder, credentials: [vc], request }), request };
        },
      ],
    ])("%s", async (_, make) => {
      const { vp, request } = make(kit);
      const theirs = await didJwtVcVerifyPresentation(vp, didJwtVcResolver(), { challenge: request.challenge, domain: request.domain });
      expect(theirs.verified).toBe(true);
      const ours = await kit.verifier().verifyPresentation({ presentation: vp, request });
      expect(ours.verified).toBe(false);
    });

    it("a presentation signed with the high-s twin of a valid signature", async () => {
      const holder = kit.newHolder();
      const request = kit.request();
      const vp = kit.present({ holder, credentials: [kit.issue({ issuer: student, holder }).jwt], request, sign: { highS: true } });
      const ours = await kit.verifier().verifyPresentation({ presentation: vp, request });
      expect(ours.code).toBe("SIGNATURE_INVALID");
      // did-jwt 8 verifies with the high-s twin as with the original (seen here): one token, two encodings.
      const theirs = await didJwtVcVerifyPresentation(vp, didJwtVcResolver(), { challenge: request.challenge, domain: request.domain }).then(
        () => "accepted",
        () => "refused",
      );
      expect(theirs).toBe("accepted");
    });
  });
});
