/**
 * What the issuer's holder index keeps of a person, taken from the claims it was just asked to sign: the agency's
 * own reference (student number, employee number, licence number, resident registration number), the name and,
 * where the credential carries a portrait, a small thumbnail of it. Pure except for the JPEG codec.
 */
import jpeg from "jpeg-js";
import { encodeGrayscaleJpeg } from "@mobile-id/core/sd-jwt-vc";

/** Largest thumbnail kept, in bytes of JPEG (the issue: "portrait thumbnail ≤ 8 KB"). */
export const MAX_THUMBNAIL_BYTES = 8 * 1024;
/** The box a thumbnail is scaled into (ID-photo 4:5). */
const THUMB_WIDTH = 96;
const THUMB_HEIGHT = 120;

/** The claim that holds the agency's own reference, per credential type (absent: the type has none). */
export const REFERENCE_CLAIMS: Readonly<Record<string, string>> = {
  StudentIDCredential: "studentNumber",
  CivilServantIDCredential: "employeeNumber",
  DriversLicenseCredential: "licenseNumber",
  ResidentIDCredential: "residentRegistrationNumber",
};

/** The person as the holder index keeps them. */
export interface HolderFacts {
  readonly reference: string;
  readonly familyName: string;
  readonly givenName: string;
  /** A `data:image/jpeg;base64,` thumbnail ≤ {@link MAX_THUMBNAIL_BYTES}, when the claims carried a portrait. */
  readonly thumbnail?: string;
}

/**
 * The holder facts of a credential's claims (reference claim by type, names, portrait thumbnail).
 *
 * @example
 * ```ts
 * holderFactsOf("StudentIDCredential", { studentNumber: "2026-12345", familyName: "김", givenName: "민준" });
 * // { reference: "2026-12345", familyName: "김", givenName: "민준" }
 * ```
 */
export function holderFactsOf(type: string, claims: Readonly<Record<string, unknown>>): HolderFacts {
  const text = (k: string | undefined) => (k !== undefined && typeof claims[k] === "string" ? (claims[k] as string) : "");
  const thumbnail = typeof claims["portrait"] === "string" ? portraitThumbnail(claims["portrait"]) : undefined;
  return {
    reference: text(REFERENCE_CLAIMS[type]),
    familyName: text("familyName"),
    givenName: text("givenName"),
    ...(thumbnail === undefined ? {} : { thumbnail }),
  };
}

/** A name for comparison: Unicode NFKC, lower case, no white space or punctuation (`"Kim  Min-jun"` → `"kimminjun"`). */
export function normalizeName(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/[\s\p{P}]/gu, "");
}

/** A reference for exact comparison: NFKC, trimmed, upper case (`" ab-12 "` → `"AB-12"`). */
export function normalizeReference(reference: string): string {
  return reference.normalize("NFKC").trim().toUpperCase();
}

/**
 * A grayscale JPEG thumbnail (at most 96 × 120, ≤ 8 KB) of a portrait given as a JPEG data URI; a non-JPEG image
 * small enough is kept as it is; anything else gives `undefined` (the index then shows no picture).
 *
 * @example
 * ```ts
 * portraitThumbnail(portraitDataUri(createSyntheticPortrait({ seed: 1 }))) // "data:image/jpeg;base64,/9j/…"
 * ```
 */
export function portraitThumbnail(dataUri: string): string | undefined {
  const m = /^data:(image\/[a-z+.-]+);base64,([A-Za-z0-9+/=]+)$/.exec(dataUri);
  if (m === null) return undefined;
  const bytes = Buffer.from(m[2] as string, "base64");
  if (m[1] !== "image/jpeg") return bytes.length <= MAX_THUMBNAIL_BYTES ? dataUri : undefined;
  let image: { width: number; height: number; data: Uint8Array };
  try {
    // Limits: a portrait claim is at most 24 KB, but its header may claim any size.
    image = jpeg.decode(bytes, { useTArray: true, maxResolutionInMP: 4, maxMemoryUsageInMB: 64, formatAsRGBA: true });
  } catch {
    return undefined;
  }
  const scale = Math.min(1, THUMB_WIDTH / image.width, THUMB_HEIGHT / image.height);
  const w = Math.max(1, Math.round(image.width * scale));
  const h = Math.max(1, Math.round(image.height * scale));
  const pixels = new Uint8Array(w * h);
  // Box average of the source pixels under each thumbnail pixel (luma from RGBA).
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * image.height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * image.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * image.width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * image.width) / w));
      let sum = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * image.width + sx) * 4;
          sum += 0.299 * (image.data[i] ?? 0) + 0.587 * (image.data[i + 1] ?? 0) + 0.114 * (image.data[i + 2] ?? 0);
        }
      }
      pixels[y * w + x] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  for (let quality = 75; quality >= 20; quality -= 15) {
    const out = encodeGrayscaleJpeg({ width: w, height: h, pixels, quality });
    if (out.length <= MAX_THUMBNAIL_BYTES) return `data:image/jpeg;base64,${Buffer.from(out).toString("base64")}`;
  }
  return undefined;
}
