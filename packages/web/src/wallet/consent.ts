/**
 * The consent screen's input: a plain data structure the presentation protocol client (OpenID4VP + DCQL) fills
 * from a verified request, and the one call that shows it and waits for the holder's answer.
 *
 * The screen lists every claim that will be shared, each in words, under the card it comes from, with the relying
 * party's registered name, purpose and DID; "Share" and "Decline". Nothing is sent from here: the caller sends
 * only after `"share"`.
 */
import type { WalletApp } from "./app.ts";
import { openFlow } from "./app.ts";

/** One claim that will be shared. */
export interface ConsentClaim {
  /** The claim path as the request names it (DCQL `path`), e.g. `["age_equal_or_over", "19"]` or `["givenName"]`. */
  readonly path: readonly string[];
  /** What it is, in words, in the language on screen (see `claimSentence` in `cardWords.ts`). */
  readonly label: string;
  /** The value that will be shared, in words; absent for a value not to be shown (or a portrait: see `portrait`). */
  readonly value?: string;
  /** A portrait's data URI, shown as a thumbnail. */
  readonly portrait?: string;
}

/** One card the answer comes from. */
export interface ConsentCredential {
  /** The card's name in words ("학생증 · 서울대학교"). */
  readonly cardLabel: string;
  readonly claims: readonly ConsentClaim[];
  /** Unused unlinkable copies of this card left after this answer (SD-JWT VC), if known. */
  readonly copiesLeftAfter?: number;
}

/** Everything the consent screen shows. */
export interface ConsentModel {
  /** The relying party as registered on the ledger (the wallet checked the registration before asking). */
  readonly party: { readonly name: string; readonly purpose: string; readonly did: string };
  readonly credentials: readonly ConsentCredential[];
}

export type ConsentAnswer = "share" | "decline";

/** The consent on screen and how to answer it. */
export interface ConsentState {
  readonly model: ConsentModel;
  readonly answer: (a: ConsentAnswer) => void;
}

/**
 * Shows the consent screen for `model` and resolves with the holder's answer. Leaving the screen another way (the
 * back button, a lock) counts as "decline".
 *
 * @example
 * ```ts
 * const answer = await askConsent(app, {
 *   party: { name: "GS25 편의점", purpose: "주류 판매 연령 확인", did: rpDid },
 *   credentials: [{ cardLabel: "주민등록증", claims: [{ path: ["age_equal_or_over", "19"], label: claimSentence(["age_equal_or_over", "19"], lang()), value: "예" }] }],
 * });
 * if (answer === "share") await postVpToken(...);
 * ```
 */
export function askConsent(app: WalletApp, model: ConsentModel): Promise<ConsentAnswer> {
  app.store.get().consent?.answer("decline");
  return new Promise<ConsentAnswer>((resolve) => {
    let settled = false;
    const answer = (a: ConsentAnswer) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      app.store.set({ consent: undefined });
      resolve(a);
    };
    const unsubscribe = app.router.subscribe((route) => {
      if (route.name !== "consent") answer("decline");
    });
    app.store.set({ consent: { model, answer } });
    openFlow(app, { name: "consent" });
  });
}
