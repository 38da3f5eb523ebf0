import { describe, expect, it } from "vitest";
import { LICENCE_CLASSES, claimSentence, displayName, valueOf } from "./cardWords.ts";

describe("card contents in words", () => {
  it("orders the holder's name per language: 김민준 in Korean, the English name in English, a Hangul name never reversed", () => {
    const kim = { familyName: "김", givenName: "민준", englishName: "Minjun Kim" };
    expect(displayName(kim, "ko")).toBe("김민준");
    expect(displayName(kim, "en")).toBe("Minjun Kim");
    expect(displayName({ familyName: "김", givenName: "민준" }, "en")).toBe("김민준");
    expect(displayName({ familyName: "Kim", givenName: "Minji" }, "en")).toBe("Minji Kim");
    expect(displayName({ familyName: "Kim", givenName: "Minji" }, "ko")).toBe("Minji Kim");
  });

  it("names every licence class of the SD-JWT VC schema, learner's permits and special sub-classes distinct", () => {
    const schemaClasses = ["1-large", "1-ordinary", "1-small", "1-special-large-trailer", "1-special-small-trailer", "1-special-wrecker", "2-ordinary", "2-small", "2-motorized-bicycle", "learner-1-ordinary", "learner-2-ordinary"];
    for (const code of schemaClasses) {
      expect(LICENCE_CLASSES[code], code).toBeDefined();
      expect(valueOf("licenseClasses", [code], "ko")).not.toContain(code);
    }
    const ko = new Set(schemaClasses.map((c) => LICENCE_CLASSES[c]!.ko));
    const en = new Set(schemaClasses.map((c) => LICENCE_CLASSES[c]!.en));
    expect(ko.size).toBe(schemaClasses.length);
    expect(en.size).toBe(schemaClasses.length);
    expect(valueOf("licenseClasses", ["1-ordinary", "learner-2-ordinary"], "en")).toBe("Class 1 ordinary, Learner's permit, class 2 ordinary");
  });

  it("says what an age predicate discloses: yes or no, not the birth date", () => {
    expect(claimSentence(["age_equal_or_over", "19"], "ko")).toContain("19세 이상");
    expect(claimSentence(["age_equal_or_over", "19"], "en")).toBe("Whether you are 19 or older (yes or no, not your birth date)");
    expect(valueOf("age_equal_or_over", true, "ko")).toBe("예");
    expect(valueOf("enrollmentStatus", "on_leave", "en")).toBe("On leave");
    expect(valueOf("rankTrack", "senior-executive", "ko")).toBe("고위공무원단");
  });
});
