import { AbiCoder, keccak256 } from "ethers";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_TYPES, credentialTypeId, findCredentialType, schemaHash } from "./credentialTypes.ts";
import { loadSchema } from "./schemaFiles.ts";

describe("credential types", () => {
  it("defines the four types of the programme, each with a schema whose $id is its registered URI", () => {
    expect(CREDENTIAL_TYPES.map((t) => t.name).sort()).toEqual([
      "CivilServantIDCredential",
      "DriversLicenseCredential",
      "ResidentIDCredential",
      "StudentIDCredential",
    ]);
    for (const t of CREDENTIAL_TYPES) expect(loadSchema(t)["$id"]).toBe(t.schemaUri);
  });

  it("computes type ids as the contract does: keccak256(abi.encode(name, version))", () => {
    const expected = keccak256(AbiCoder.defaultAbiCoder().encode(["string", "uint32"], ["StudentIDCredential", 1]));
    expect(credentialTypeId("StudentIDCredential", 1)).toBe(expected);
    expect(credentialTypeId("StudentIDCredential", 2)).not.toBe(expected);
  });

  it("hashes schemas canonically: key order does not matter, content does", () => {
    expect(schemaHash({ a: 1, b: [1, 2] })).toBe(schemaHash({ b: [1, 2], a: 1 }));
    expect(schemaHash({ a: 1 })).not.toBe(schemaHash({ a: 2 }));
  });

  it("finds a type by name, refusing unknown names and versions", () => {
    expect(findCredentialType("DriversLicenseCredential")?.title.ko).toBe("운전면허증");
    expect(findCredentialType("DriversLicenseCredential", 9)).toBeUndefined();
    expect(findCredentialType("PassportCredential")).toBeUndefined();
  });
});
