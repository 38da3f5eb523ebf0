import type { DatabaseSync } from "node:sqlite";
import { type LedgerMirror, checksumAddress } from "@mobile-id/chain";
import { CREDENTIAL_TYPES, credentialTypeId, parseEthrDid } from "@mobile-id/core";
import { type Openid4vciIssuerEndpoints, createOpenid4vciIssuer, createOpenid4vciStore } from "@mobile-id/issuer";
import { setGlobalConfig } from "@openid4vc/oauth2";
import type { Openid4vciRoutesParameters } from "../routes/openid4vci.ts";
import type { IssuerTenant } from "../routes/issuer.ts";
import { openDatabase } from "../stores/database.ts";

export interface OpenOpenid4vciIssuersParameters {
  /** The SQLite file of offers, grants and nonces (0600; personal data only while an offer or token is live). */
  readonly path: string;
  readonly tenants: readonly IssuerTenant[];
  /** The services' ledger view: accreditations (which types a tenant offers) and holder DIDs' owners. */
  readonly ledger: Pick<LedgerMirror, "standingAt" | "identity">;
  readonly baseUrl: () => string;
  /** Receives the opened database, for the services to close. */
  readonly onOpen: (db: DatabaseSync) => void;
  /** Receives what stops the purge timer, for the services to call on close. */
  readonly onClose: (stop: () => void) => void;
  /** Seconds between purges of expired offers, tokens and nonces. Default 60. */
  readonly purgeIntervalSeconds?: number;
}

/**
 * Opens the OpenID4VCI store and one issuer per tenant: its types are those the ledger says it is accredited for
 * now; a holder's public-key did:ethr must still be controlled by its own key (not handed over, not
 * deactivated). Expired offers' claims, tokens and nonces are purged on a timer.
 *
 * @example
 * ```ts
 * const openid4vci = openOpenid4vciIssuers({ path, tenants, ledger: readiness.reader, baseUrl: () => base.url, onOpen: (db) => dbs.push(db) });
 * ```
 */
export function openOpenid4vciIssuers(p: OpenOpenid4vciIssuersParameters): Openid4vciRoutesParameters {
  const db = openDatabase(p.path);
  p.onOpen(db);
  const store = createOpenid4vciStore(db);
  // The library refuses http:// URLs process-wide by default; a local services run (no --lan) is http.
  if (p.baseUrl().startsWith("http://")) setGlobalConfig({ allowInsecureUrls: true });
  const issuers = new Map<string, Openid4vciIssuerEndpoints>();
  for (const tenant of p.tenants) {
    issuers.set(
      tenant.id,
      createOpenid4vciIssuer({
        tenant: tenant.id,
        name: tenant.name,
        issuer: tenant.issuer,
        store,
        baseUrl: p.baseUrl,
        statusListBaseUrl: p.baseUrl,
        typesInForce: () => {
          const now = Math.floor(Date.now() / 1000);
          return CREDENTIAL_TYPES.filter((t) => p.ledger.standingAt(tenant.issuer.address, credentialTypeId(t.name, t.version), now).inForce).map((t) => t.name);
        },
        holderDidInForce: (did) => {
          const parsed = parseEthrDid(did);
          if (parsed === undefined) return false;
          const state = p.ledger.identity(parsed.address);
          return !state.deactivated && checksumAddress(state.owner) === checksumAddress(parsed.address);
        },
      }),
    );
  }
  const timer = setInterval(() => {
    try {
      store.purge(Math.floor(Date.now() / 1000));
    } catch {
      // retried on the next tick
    }
  }, (p.purgeIntervalSeconds ?? 60) * 1000);
  timer.unref();
  p.onClose(() => clearInterval(timer));
  return { issuers };
}
