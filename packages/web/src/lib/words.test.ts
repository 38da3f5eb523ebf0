import { describe, expect, it } from "vitest";
import { VerificationCode } from "@mobile-id/core/browser";
import { MESSAGES } from "./i18n.ts";
import { VERIFICATION_SENTENCES, verificationSentence } from "./words.ts";

describe("interface text", () => {
  it("has a Korean and an English sentence for every verification code", () => {
    for (const code of Object.values(VerificationCode)) {
      const pair = VERIFICATION_SENTENCES[code];
      expect(pair?.ko, code).toMatch(/\S/);
      expect(pair?.en, code).toMatch(/\S/);
    }
    expect(verificationSentence("SOMETHING_NEW", "en")).toBe("It could not be verified.");
  });

  it("has the same messages in Korean and English, none empty", () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.ko).sort());
    for (const lang of ["ko", "en"] as const) for (const [k, v] of Object.entries(MESSAGES[lang])) expect(v, `${lang}.${k}`).toMatch(/\S/);
  });
});
