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
  /**
   * The cards the holder may send in this one's place (several answer "any one of"), this card first; the screen
   * shows them as a radio group when there are two or more. Each choice is drawn as its own card (label, claims).
   */
  readonly choices?: readonly ConsentCredential[];
}

/** Everything the consent screen shows. */
export interface ConsentModel {
  /** The relying party as registered on the ledger (the wallet checked the registration before asking). */
  readonly party: { readonly name: string; readonly purpose: string; readonly did: string };
  readonly credentials: readonly ConsentCredential[];
}

export type ConsentAnswer = "share" | "decline";

/** The holder's answer with the card picked per credential (`choice[i]` indexes `credentials[i].choices`; 0 without). */
export interface ConsentDecision {
  readonly answer: ConsentAnswer;
  readonly choice: readonly number[];
}

/** The consent on screen and how to answer it. */
export interface ConsentState {
  readonly model: ConsentModel;
  /** The card picked per credential, the first preselected. */
  readonly choice: readonly number[];
  readonly answer: (a: ConsentAnswer) => void;
  /** Picks choice `index` of credential `slot`. */
  readonly choose: (slot: number, index: number) => void;
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
  return askConsentChoosing(app, model).then((d) => d.answer);
}

/**
 * Like {@link askConsent}, and says which card the holder picked where several answer (`choices`).
 *
 * @example
 * ```ts
 * const { answer, choice } = await askConsentChoosing(app, model);
 * if (answer === "share") await shareVpAnswer({ plan: withChosenCards(plan, choice), vault, post });
 * ```
 */
export function askConsentChoosing(app: WalletApp, model: ConsentModel): Promise<ConsentDecision> {
  app.store.get().consent?.answer("decline");
  return new Promise<ConsentDecision>((resolve) => {
    let settled = false;
    const answer = (a: ConsentAnswer) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      const choice = app.store.get().consent?.choice ?? model.credentials.map(() => 0);
      app.store.set({ consent: undefined });
      resolve({ answer: a, choice });
    };
    const choose = (slot: number, index: number) => {
      const now = app.store.get().consent;
      if (settled || now === undefined || now.answer !== answer) return;
      if (index < 0 || index >= (now.model.credentials[slot]?.choices?.length ?? 1)) return;
      app.store.set({ consent: { ...now, choice: now.choice.map((c, i) => (i === slot ? index : c)) } });
    };
    const unsubscribe = app.router.subscribe((route) => {
      if (route.name !== "consent") answer("decline");
    });
    app.store.set({ consent: { model, choice: model.credentials.map(() => 0), answer, choose } });
    openFlow(app, { name: "consent" });
  });
}
