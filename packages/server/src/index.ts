export { type ApiKeyRecord, authorizeTenant, generateApiKey, hashApiKey } from "./auth.ts";
export { type CreateServerParameters, createServer } from "./createServer.ts";
export { type ErrorBody, HttpError, installErrorHandling, statusFor } from "./errors.ts";
export { DEFAULT_HTTP_LIMITS, type HttpLimits } from "./http/edge.ts";
export type { IssuerTenant } from "./routes/issuer.ts";
export type { VerifierRoutesParameters } from "./routes/verifier.ts";
export { apiKeyHashesPath, loadApiKeys, rotateApiKey } from "./stores/apiKeyStore.ts";
export { openDatabase } from "./stores/database.ts";
export {
  type CreatedRequest,
  type RequestState,
  type RequestStore,
  type RequestStoreOptions,
  type StoredRequest,
  createRequestStore,
} from "./stores/requestStore.ts";
export { type AgencyConfig, type RunningServices, type StartServicesParameters, startServices } from "./startServices.ts";
export { type ListenWalletOriginParameters, type WalletOrigin, installWalletOriginGuard, listenWalletOrigin } from "./http/walletOrigin.ts";
export { CA_CERTIFICATE_PATH, type ServeCaInstallPageParameters, serveCaInstallPage } from "./tls/caInstallPage.ts";
export { type EnsureLanCertificatesParameters, type LanCertificates, LocalCaErrorCode, type LocalCaCertificate, ensureLanCertificates, isDnsName } from "./tls/localCa.ts";
