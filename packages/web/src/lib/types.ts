/** The credential types as the services list them (`GET /credential-types`), loaded once per page. */
import { type CredentialTypeInfo, api } from "./api.ts";

let types: Promise<readonly CredentialTypeInfo[]> | undefined;

export function credentialTypes(): Promise<readonly CredentialTypeInfo[]> {
  types ??= api<CredentialTypeInfo[]>("/credential-types");
  types.catch(() => {
    types = undefined;
  });
  return types;
}
