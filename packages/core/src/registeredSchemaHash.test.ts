import { describe, expect, it } from "vitest";
import { CREDENTIAL_TYPES, schemaHash } from "./credentialTypes.ts";
import { loadSdJwtVcSchema, registeredSchemaHash } from "./registeredSchemaHash.ts";
import { loadSchema } from "./schemaFiles.ts";

describe("registeredSchemaHash", () => {
  it("covers the SD-JWT VC schema of every type beside its JWT-VC schema", () => {
    const hashes = new Set<string>();
    for (const type of CREDENTIAL_TYPES) {
      const sd = loadSdJwtVcSchema(type);
      expect(sd?.["$id"]).toBe(`https://mobile-id.example/schemas/${type.schemaFile.replace(/\.v1\.json$/, "")}.sd-jwt-vc.v${type.version}.json`);
      const h = registeredSchemaHash(type);
      expect(h).toBe(schemaHash({ jwt_vc: loadSchema(type), "dc+sd-jwt": sd }));
      expect(h).not.toBe(schemaHash(loadSchema(type)));
      // Another SD-JWT VC schema (any change of meaning) gives another hash.
      expect(h).not.toBe(schemaHash({ jwt_vc: loadSchema(type), "dc+sd-jwt": { ...sd, title: "changed" } }));
      hashes.add(h);
    }
    expect(hashes.size).toBe(CREDENTIAL_TYPES.length);
  });
});
