/**
 * Unlock with the phone's screen lock or biometrics: WebAuthn with the PRF extension (issue 12). Registering makes
 * a platform credential for this wallet's origin and evaluates its PRF at a random salt; the 32-byte output (which
 * the authenticator releases only after user verification) wraps the unlock secret (`vault.ts`). Unlocking asks
 * the same credential for the same PRF output. Where the browser or authenticator has no PRF, or the page is on an
 * IP address (WebAuthn needs a domain name), the passphrase stays the only way in.
 */

/** Why screen-lock unlock is not offered here. */
export type PrfUnavailable = "no-webauthn" | "ip-address" | "insecure";

/** Whether this page can offer screen-lock unlock at all (the authenticator may still lack PRF: see {@link registerPrf}). */
export function prfSupport(): PrfUnavailable | undefined {
  if (typeof PublicKeyCredential === "undefined" || navigator.credentials === undefined) return "no-webauthn";
  if (!window.isSecureContext) return "insecure";
  // WebAuthn's RP ID must be a domain: a wallet served on https://192.168.0.23:8444 cannot use it.
  if (/^[0-9.]+$/.test(location.hostname) || location.hostname.includes(":")) return "ip-address";
  return undefined;
}

interface PrfResults {
  readonly prf?: { readonly enabled?: boolean; readonly results?: { readonly first?: ArrayBuffer | ArrayBufferView } };
}

const bytesOf = (v: ArrayBuffer | ArrayBufferView): Uint8Array => (v instanceof ArrayBuffer ? new Uint8Array(v.slice(0)) : new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));

/** The screen-lock credential could not give a PRF output (no PRF support, cancelled, or not this device's). */
export class PrfError extends Error {
  readonly code: "PRF_UNSUPPORTED" | "PRF_CANCELLED";
  constructor(code: "PRF_UNSUPPORTED" | "PRF_CANCELLED") {
    super(code);
    this.code = code;
    this.name = "PrfError";
  }
}

async function evaluate(credentialId: Uint8Array, prfSalt: Uint8Array): Promise<Uint8Array> {
  let assertion: Credential | null;
  try {
    assertion = await navigator.credentials.get({
      publicKey: {
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        rpId: location.hostname,
        allowCredentials: [{ type: "public-key", id: credentialId as Uint8Array<ArrayBuffer> }],
        userVerification: "required",
        timeout: 60_000,
        extensions: { prf: { eval: { first: prfSalt as Uint8Array<ArrayBuffer> } } } as AuthenticationExtensionsClientInputs,
      },
    });
  } catch {
    throw new PrfError("PRF_CANCELLED");
  }
  const first = ((assertion as PublicKeyCredential | null)?.getClientExtensionResults() as PrfResults | undefined)?.prf?.results?.first;
  if (first === undefined) throw new PrfError("PRF_UNSUPPORTED");
  return bytesOf(first);
}

/**
 * Registers a screen-lock credential for this wallet and returns its id, the PRF salt and the PRF output.
 * `PRF_UNSUPPORTED` when the authenticator has no PRF (the caller keeps the passphrase only).
 *
 * @example
 * ```ts
 * const { credentialId, prfSalt, prfOutput } = await registerPrf();
 * await enablePrfUnlock({ vault, passphrase, credentialId, prfSalt, prfOutput });
 * ```
 */
export async function registerPrf(): Promise<{ readonly credentialId: Uint8Array; readonly prfSalt: Uint8Array; readonly prfOutput: Uint8Array }> {
  const prfSalt = crypto.getRandomValues(new Uint8Array(32));
  let created: Credential | null;
  try {
    created = await navigator.credentials.create({
      publicKey: {
        rp: { id: location.hostname, name: "mobile-id wallet" },
        user: { id: crypto.getRandomValues(new Uint8Array(16)), name: "wallet", displayName: "mobile-id wallet" },
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        pubKeyCredParams: [
          { type: "public-key", alg: -7 },
          { type: "public-key", alg: -257 },
        ],
        authenticatorSelection: { userVerification: "required", residentKey: "discouraged" },
        timeout: 60_000,
        extensions: { prf: { eval: { first: prfSalt } } } as AuthenticationExtensionsClientInputs,
      },
    });
  } catch {
    throw new PrfError("PRF_CANCELLED");
  }
  const credential = created as PublicKeyCredential | null;
  if (credential === null) throw new PrfError("PRF_CANCELLED");
  const results = credential.getClientExtensionResults() as PrfResults;
  if (results.prf?.enabled === false) throw new PrfError("PRF_UNSUPPORTED");
  const credentialId = new Uint8Array(credential.rawId);
  // Some authenticators evaluate the PRF at creation; the others only on a get().
  const first = results.prf?.results?.first;
  const prfOutput = first !== undefined ? bytesOf(first) : await evaluate(credentialId, prfSalt);
  return { credentialId, prfSalt, prfOutput };
}

/**
 * Asks the registered screen-lock credential for its PRF output (the phone shows its fingerprint, face or PIN prompt).
 *
 * @example
 * ```ts
 * const setup = await prfUnlockSetup(db);
 * const prfOutput = await evaluatePrf(setup.credentialId, setup.prfSalt);
 * ```
 */
export function evaluatePrf(credentialId: Uint8Array, prfSalt: Uint8Array): Promise<Uint8Array> {
  return evaluate(credentialId, prfSalt);
}
