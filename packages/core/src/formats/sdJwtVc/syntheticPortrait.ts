import { encodeBase64url } from "../../base64url.ts";
import { MAX_PORTRAIT_BYTES } from "./constants.ts";
import { encodeGrayscaleJpeg } from "./jpeg.ts";

/** Parameters of {@link createSyntheticPortrait}. */
export interface CreateSyntheticPortraitParameters {
  /** Any integer; the same seed gives the same image. */
  readonly seed: number;
  /** Default 192 × 240 (ID-photo 4:5). */
  readonly width?: number;
  readonly height?: number;
  /** JPEG quality to start from (default 80); lowered until the image fits {@link MAX_PORTRAIT_BYTES}. */
  readonly quality?: number;
}

/** mulberry32: a small seeded PRNG, so portraits are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A synthetic ID portrait: a cartoon head (ellipses for face, hair, eyes, a mouth, shoulders) over a gradient,
 * with seeded sensor-like noise so its size resembles a real ID photo. Generated, never a real face: for
 * bootstrap and tests only. A grayscale baseline JPEG ≤ {@link MAX_PORTRAIT_BYTES}.
 *
 * @example
 * ```ts
 * const jpeg = createSyntheticPortrait({ seed: 7 });
 * portraitDataUri(jpeg) // "data:image/jpeg;base64,/9j/…"
 * ```
 */
export function createSyntheticPortrait(params: CreateSyntheticPortraitParameters): Uint8Array {
  const width = params.width ?? 192;
  const height = params.height ?? 240;
  const rnd = prng(params.seed);
  const skin = 150 + rnd() * 70;
  const hair = 20 + rnd() * 80;
  const bg = 180 + rnd() * 60;
  const cx = width / 2;
  const cy = height * (0.42 + rnd() * 0.04);
  const rx = width * (0.22 + rnd() * 0.05);
  const ry = height * (0.25 + rnd() * 0.03);
  const eyeY = cy - ry * 0.1;
  const eyeDx = rx * 0.42;
  const mouthY = cy + ry * 0.5;
  const pixels = new Uint8Array(width * height);
  const inside = (x: number, y: number, ex: number, ey: number, ax: number, ay: number): boolean =>
    ((x - ex) / ax) ** 2 + ((y - ey) / ay) ** 2 <= 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = bg - (y / height) * 40;
      if (inside(x, y, cx, height * 1.05, width * 0.45, height * 0.3)) v = 60 + hair * 0.3; // shoulders
      if (inside(x, y, cx, cy - ry * 0.2, rx * 1.12, ry * 1.0)) v = hair; // hair behind the face
      if (inside(x, y, cx, cy, rx, ry)) {
        v = skin - ((x - cx) / rx) * 12; // side lighting
        if (inside(x, y, cx - eyeDx, eyeY, rx * 0.14, ry * 0.07) || inside(x, y, cx + eyeDx, eyeY, rx * 0.14, ry * 0.07)) v = 40;
        if (inside(x, y, cx, mouthY, rx * 0.3, ry * 0.05)) v = skin * 0.6;
        if (inside(x, y, cx, cy + ry * 0.15, rx * 0.08, ry * 0.12)) v = skin * 0.85;
      }
      v += (rnd() - 0.5) * 14;
      pixels[y * width + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  for (let quality = params.quality ?? 80; quality >= 10; quality -= 10) {
    const jpeg = encodeGrayscaleJpeg({ width, height, pixels, quality });
    if (jpeg.length <= MAX_PORTRAIT_BYTES) return jpeg;
  }
  throw new RangeError("portrait does not fit MAX_PORTRAIT_BYTES; use a smaller size");
}

/**
 * A JPEG as the `portrait` claim's data URI (RFC 2397).
 *
 * @example
 * ```ts
 * portraitDataUri(jpeg).startsWith("data:image/jpeg;base64,") // true
 * ```
 */
export function portraitDataUri(jpeg: Uint8Array): string {
  // Standard base64 (not base64url), as a data URI requires.
  const b64 = encodeBase64url(jpeg).replace(/-/g, "+").replace(/_/g, "/");
  return `data:image/jpeg;base64,${b64}${"=".repeat((4 - (b64.length % 4)) % 4)}`;
}
