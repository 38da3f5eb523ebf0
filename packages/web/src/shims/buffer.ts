/**
 * The few `Buffer` calls `@mobile-id/core` makes (in `base64url.ts`: `Buffer.from(text, "base64url")`,
 * `Buffer.from(text, "utf8")`, `Buffer.from(bytes)`, and `.toString("base64url")`), for the browser, where there is
 * no `Buffer`. Libraries in the bundle that look for a global `Buffer` (uint8arrays) also call
 * `Buffer.from(arrayBuffer, offset, length).toString("utf8")` and `Buffer.from(text, "utf-8")`, supported too;
 * they test for `Buffer.allocUnsafe` before using it, which this shim leaves out on purpose. Semantics match Node's: decoding ignores non-canonical trailing bits, which core then detects by
 * re-encoding, exactly as it does in Node. Installed only when the global is missing.
 */
type BufferLike = Uint8Array & { toString(encoding?: string): string };

function toBase64url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  const standard = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(standard + "=".repeat((4 - (standard.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function wrap(bytes: Uint8Array): BufferLike {
  Object.defineProperty(bytes, "toString", {
    value: (encoding?: string) => {
      if (encoding === "base64url") return toBase64url(bytes);
      if (encoding === "utf8" || encoding === "utf-8") return new TextDecoder().decode(bytes);
      if (encoding === "hex") return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      return Uint8Array.prototype.toString.call(bytes);
    },
  });
  return bytes as BufferLike;
}

export const MiniBuffer = {
  from(value: string | ArrayLike<number> | ArrayBuffer, encodingOrOffset?: string | number, length?: number): BufferLike {
    if (typeof value === "string") {
      const encoding = typeof encodingOrOffset === "string" ? encodingOrOffset : undefined;
      if (encoding === "base64url") return wrap(fromBase64url(value));
      if (encoding === undefined || encoding === "utf8" || encoding === "utf-8") return wrap(new TextEncoder().encode(value));
      throw new Error(`Buffer shim: encoding ${encoding} is not supported`);
    }
    // Like Node, `Buffer.from(arrayBuffer, offset, length)` is a view on the same memory (libraries such as
    // uint8arrays call it that way to decode UTF-8).
    if (value instanceof ArrayBuffer) return wrap(new Uint8Array(value, typeof encodingOrOffset === "number" ? encodingOrOffset : 0, length));
    return wrap(Uint8Array.from(value));
  },
};

const g = globalThis as Record<string, unknown>;
if (g["Buffer"] === undefined) g["Buffer"] = MiniBuffer;
