/**
 * The issuer console's state: one store, redrawn on every change. The tab on display (issue or records) is in the
 * URL fragment (`#/issue`, `#/records`), so the browser's back button moves between them.
 */
import type { UiError } from "../lib/uiError.ts";
import type { CredentialTypeInfo, PartyFacts } from "../lib/api.ts";
import type { Router } from "../lib/router.ts";
import type { Store } from "../lib/store.ts";
import type { Handover } from "./handover.ts";

export interface Agency {
  readonly id: string;
  readonly name: string;
  readonly did: string;
}

export interface IssuedRecord {
  readonly id: string;
  readonly type: string;
  readonly holder: string;
  readonly status: "active" | "suspended" | "revoked";
  readonly expired: boolean;
  readonly pendingChange: boolean;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface Offer {
  readonly walletUri: string;
  readonly expiresAt: number;
  readonly qr: string;
  readonly credentialId: string;
}

export type Action = "revoke" | "suspend" | "reinstate";

/** A person as the agency's holder index knows them (`GET /issuers/:issuer/holders`). */
export interface HolderView {
  readonly reference: string;
  readonly familyName: string;
  readonly givenName: string;
  readonly thumbnail?: string;
  readonly type: string;
  readonly format: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly credentials: readonly { readonly id: string; readonly status: "active" | "suspended" | "revoked" | "unknown"; readonly expired: boolean; readonly pendingChange: boolean }[];
}

/** The confirmation dialog before a status change: which card, which action, whose card, and where the focus returns. */
export interface PendingAction {
  readonly id: string;
  readonly action: Action;
  /** The type name of the card (from the list row or the holder row). */
  readonly type: string;
  /** `undefined` while loading; `null` when the index has no row for the card. */
  readonly holder: HolderView | null | undefined;
  /** The id of the control that opened the dialog. */
  readonly opener: string;
}

export type IssuerRoute = { readonly name: "issue" } | { readonly name: "records" } | { readonly name: "find" };

/** What the clerk typed into the issue form, by control name: kept across errors, language switches and tabs. */
export type Draft = Readonly<Record<string, string | readonly string[]>>;

export interface IssuerState {
  readonly route: IssuerRoute;
  readonly agencies: readonly Agency[];
  readonly types: readonly CredentialTypeInfo[];
  readonly session: { readonly agency: string; readonly key: string } | undefined;
  readonly party: PartyFacts | undefined;
  /** The credential type the issue form is for. */
  readonly type: string | undefined;
  readonly draft: Draft;
  readonly offer: Offer | undefined;
  /** The OpenID4VCI hand-over on screen ("hand over to the phone"). */
  readonly handover: Handover | undefined;
  readonly issued: readonly IssuedRecord[];
  readonly cursor: string | undefined;
  readonly filters: Readonly<Record<string, string>>;
  readonly pendingAction: PendingAction | undefined;
  /** What the clerk searched for on the find screen, and what was found (`undefined`: not searched yet). */
  readonly holderQuery: { readonly reference: string; readonly name: string };
  readonly holders: readonly HolderView[] | undefined;
  readonly busy: string | undefined;
  /** Kept as a message key and parameters (and the field it is about): drawn in the clerk's language. */
  readonly error: UiError | undefined;
  readonly notice: string | undefined;
}

export interface IssuerApp {
  readonly store: Store<IssuerState>;
  readonly router: Router<IssuerRoute>;
}

export const INITIAL_ISSUER_STATE: IssuerState = {
  route: { name: "issue" },
  agencies: [],
  types: [],
  session: undefined,
  party: undefined,
  type: undefined,
  draft: {},
  offer: undefined,
  handover: undefined,
  issued: [],
  cursor: undefined,
  filters: {},
  pendingAction: undefined,
  holderQuery: { reference: "", name: "" },
  holders: undefined,
  busy: undefined,
  error: undefined,
  notice: undefined,
};

/** The route of a fragment path (`/records`, `/find`; anything else is the issue form). Pure. */
export function parseIssuerRoute(path: string): IssuerRoute {
  return path === "/records" ? { name: "records" } : path === "/find" ? { name: "find" } : { name: "issue" };
}

/**
 * A person's name in the order people read it: Korean names family name first, unspaced (김민준); others given
 * name first (Minjun Kim). Pure.
 */
export function personName(familyName: string, givenName: string): string {
  if (/^[\p{Script=Hangul}\s]+$/u.test(`${familyName}${givenName}`)) return `${familyName}${givenName}`;
  return [givenName, familyName].filter((x) => x !== "").join(" ");
}

export function formatIssuerRoute(route: IssuerRoute): string {
  return `/${route.name}`;
}

/** The agency signed in, if any. */
export function agencyOf(s: IssuerState): Agency | undefined {
  return s.agencies.find((a) => a.id === s.session?.agency);
}

/** An action's label ("Revoke", "폐지"). */
export function actionKey(action: Action): "issuerRevoke" | "issuerSuspend" | "issuerReinstate" {
  return action === "revoke" ? "issuerRevoke" : action === "suspend" ? "issuerSuspend" : "issuerReinstate";
}
