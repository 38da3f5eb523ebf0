import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_TYPES } from "./credentialTypes.ts";
import { loadSchema } from "./schemaFiles.ts";

// validateClaims compiles the schema files without checking them against the meta-schema (it cost every process
// start the meta-schema's compilation): the files shipped are checked here instead.
describe("the credential types' schema files", () => {
  it.each(CREDENTIAL_TYPES.map((t) => [`${t.name} v${t.version}`, t] as const))("%s is a valid JSON Schema 2020-12", (_, type) => {
    const ajv = new Ajv2020({ strict: true });
    const valid = ajv.validateSchema(loadSchema(type));
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("the meta-schema check refuses a malformed schema (so the test above can fail)", () => {
    expect(new Ajv2020({ strict: true }).validateSchema({ type: "object", properties: { name: { type: 5 } } })).toBe(false);
  });
});
