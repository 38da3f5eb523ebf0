/**
 * Test and benchmark support (entry `@mobile-id/verifier/testing`): the test kit, a JWS signer that can break
 * tokens on purpose, and did-jwt-vc's verification functions as the benchmark's baseline. Not production API.
 */
export { decodeJwt, randomPrivateKey, type SignJwtOptions, signJwt } from "./testing/jws.ts";
export {
  DOMAIN,
  type IssueParameters,
  type PresentParameters,
  SAMPLE_CLAIMS,
  type TestHolder,
  type TestIssuer,
  type TestKit,
  startTestKit,
} from "./testing/testKit.ts";
export { verifyCredential as didJwtVcVerifyCredential, verifyPresentation as didJwtVcVerifyPresentation } from "did-jwt-vc";
export { type AddManyDelegatesParameters, addManyDelegates } from "./testing/manyDelegates.ts";
export { startAnvilTestKit } from "./testing/anvilKit.ts";
export { type LibraryHolder, createLibraryHolder } from "./testing/openid4vpHolder.ts";
