import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_TYPES } from "../credentialTypes.ts";
import { loadSdJwtVcSchema } from "../registeredSchemaHash.ts";
import { loadSchema } from "../schemaFiles.ts";
import { JWT_VC_CONTEXTS, buildJwtVcPayload } from "./jwtVc.ts";
import { MOBILE_ID_CONTEXT_DOCUMENT, MOBILE_ID_CONTEXT_V1, MOBILE_ID_CONTEXT_V1_PATH, mobileIdSchemaUri } from "./mobileIdContext.ts";
import { parseJwtVc } from "./nodeFormats.ts";
import { sdJwtVcProfileOf } from "./sdJwtVc/profiles.ts";
import { MOBILE_ID_STATUS_ENTRY_TYPE } from "./statusEntry.ts";

const terms = MOBILE_ID_CONTEXT_DOCUMENT["@context"] as Record<string, unknown>;
const iriOf = (t: unknown) => (typeof t === "string" ? t : (t as { "@id": string })["@id"]);

describe("the mobile-id JSON-LD context and https schema names", () => {
  it("each schema's $id (JWT-VC: the type's schemaUri; SD-JWT VC: the profile's) is an https name whose path is the served /schemas/<file>", () => {
    for (const type of CREDENTIAL_TYPES) {
      const schema = loadSchema(type);
      expect(schema["$id"]).toBe(type.schemaUri);
      expect(type.schemaUri).toBe(mobileIdSchemaUri(type.schemaFile));
      const url = new URL(type.schemaUri);
      expect(url.protocol).toBe("https:");
      expect(url.pathname).toBe(`/schemas/${type.schemaFile}`);
      // the file on disk is what that path serves
      expect(JSON.parse(readFileSync(new URL(`../../schemas/${type.schemaFile}`, import.meta.url), "utf8"))).toEqual(schema);
      const profile = sdJwtVcProfileOf(type.name)!;
      expect(loadSdJwtVcSchema(type)?.["$id"]).toBe(profile.schemaUri);
      expect(new URL(profile.schemaUri).pathname).toBe(`/schemas/${profile.schemaFile}`);
    }
    expect(new URL(MOBILE_ID_CONTEXT_V1).pathname).toBe(MOBILE_ID_CONTEXT_V1_PATH);
  });

  it("defines, @protected, every credentialSubject term of the four JWT-VC schemas, the type names and the status entry", () => {
    expect(terms["@protected"]).toBe(true);
    expect(terms["@version"]).toBe(1.1);
    for (const type of CREDENTIAL_TYPES) {
      expect(iriOf(terms[type.name]), type.name).toMatch(/^https:\/\//);
      const properties = Object.keys((loadSchema(type) as { properties: Record<string, unknown> }).properties).filter((p) => p !== "id");
      expect(properties.length).toBeGreaterThan(3);
      for (const p of properties) expect(iriOf(terms[p]), `${type.name}.${p}`).toMatch(/^https:\/\//);
    }
    expect(iriOf(terms["JsonSchema"])).toMatch(/^https:\/\//);
    const status = terms[MOBILE_ID_STATUS_ENTRY_TYPE] as { "@id": string; "@context": Record<string, unknown> };
    expect(status["@id"]).toMatch(/^https:\/\//);
    expect(status["@context"]["@protected"]).toBe(true);
    for (const m of ["statusRegistry", "revocationListId", "suspensionListId", "statusListIndex"]) expect(iriOf(status["@context"][m])).toMatch(/^https:\/\//);
    // no term is defined twice under different IRIs, and no IRI is shared by two terms
    const iris = Object.entries(terms).filter(([k]) => !k.startsWith("@")).map(([, v]) => iriOf(v));
    expect(new Set(iris).size).toBe(iris.length);
    expect(Object.isFrozen(MOBILE_ID_CONTEXT_DOCUMENT["@context"])).toBe(true);
  });

  it("issued JWT-VCs name exactly [VC v1, mobile-id v1] and the type's https schema; the parser takes them back", () => {
    const type = CREDENTIAL_TYPES[0]!;
    const payload = buildJwtVcPayload({
      issuer: "did:ethr:0x7a69:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
      holder: { kind: "did", did: "did:ethr:0x7a69:0x70997970c51812dc3a010c7d01b50e0d17dc79c8" },
      type,
      claims: { familyName: "김", givenName: "민준" },
      id: "urn:uuid:2f1c0000-0000-4000-8000-000000000000",
      validFrom: 1_767_225_600,
      validUntil: 1_924_992_000,
      status: { registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3", revocationListId: 7n, suspensionListId: 8n, index: 1n },
      chainId: 31337n,
    });
    expect(payload.vc["@context"]).toEqual(["https://www.w3.org/2018/credentials/v1", MOBILE_ID_CONTEXT_V1]);
    expect(JWT_VC_CONTEXTS).toEqual(payload.vc["@context"]);
    expect(payload.vc.credentialSchema.id).toBe(type.schemaUri);
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const r = parseJwtVc(`${enc({ alg: "ES256K", typ: "JWT" })}.${enc(payload)}.${Buffer.alloc(64).toString("base64url")}`, { chainId: 31337n, maxBytes: 16_384 });
    expect(r.ok ? r.value.schemaUri : r.code).toBe(type.schemaUri);
  });
});
