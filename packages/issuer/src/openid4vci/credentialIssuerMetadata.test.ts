import { Openid4vciIssuer } from "@openid4vc/openid4vci";
import { describe, expect, it } from "vitest";
import { authorizationServerMetadata, credentialIssuerMetadata, parseCredentialConfigurationId } from "./credentialIssuerMetadata.ts";

const library = new Openid4vciIssuer({ callbacks: {} as never });

describe("credential issuer metadata", () => {
  it("lists only the accredited types, both formats, ko/en names and the batch size, and passes the library's 1.0 schema", () => {
    const m = credentialIssuerMetadata({ credentialIssuer: "https://id.example/issuers/snu", name: "서울대학교", types: ["StudentIDCredential"] });
    expect(Object.keys(m.credential_configurations_supported)).toEqual(["StudentIDCredential.dc+sd-jwt", "StudentIDCredential.jwt_vc_json"]);
    expect(m.credential_configurations_supported["StudentIDCredential.dc+sd-jwt"]).toMatchObject({
      vct: "urn:mobile-id:vct:StudentIDCredential:1",
      cryptographic_binding_methods_supported: ["jwk"],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["ES256"] } },
      credential_metadata: { display: [{ name: "학생증", locale: "ko-KR" }, { name: "Student ID", locale: "en-US" }] },
    });
    expect(m.batch_credential_issuance).toEqual({ batch_size: 10 });
    expect(() => library.createCredentialIssuerMetadata(m as never)).not.toThrow();
    expect(Object.keys(library.getKnownCredentialConfigurationsSupported(m as never))).toHaveLength(2);
    expect(authorizationServerMetadata("https://id.example/issuers/snu")).toMatchObject({ token_endpoint: "https://id.example/issuers/snu/token" });
  });

  it("parses configuration ids back, refusing unknown types and formats", () => {
    expect(parseCredentialConfigurationId("DriversLicenseCredential.jwt_vc_json")).toEqual({ type: "DriversLicenseCredential", format: "jwt_vc_json" });
    expect(parseCredentialConfigurationId("NoSuch.dc+sd-jwt")).toBeUndefined();
    expect(parseCredentialConfigurationId("StudentIDCredential.mso_mdoc")).toBeUndefined();
  });
});
