/** Presentation requests: check the request, show exactly what would be shared, present only on consent. */
import { uiError } from "../lib/uiError.ts";
import { type PreparePresentationReturnType, createPresentation, parsePresentationRequest, preparePresentation } from "@mobile-id/wallet/browser";
import { type RequestView, type VerificationOutcome, api } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import { type RequestState, type WalletApp, busy, fail, openFlow, refreshStatuses } from "./app.ts";

const EMPTY: RequestState = { view: undefined, preview: undefined, outcome: undefined, declined: false };

export async function openRequest(app: WalletApp, url: string): Promise<void> {
  app.store.set({ request: EMPTY });
  openFlow(app, { name: "request" });
  const wallet = app.store.get().wallet;
  if (wallet === undefined) return;
  const fetched = await busy(app, t("requestFetching"), () => api<RequestView>(url));
  if (fetched === undefined) return;
  // The answer goes back to the service that asked, at the address it is bound to: never elsewhere.
  if (fetched.requestUri !== url || fetched.responseUri !== `${url}/presentation`) return fail(app, undefined, uiError("requestInvalid"));
  const parsed = parsePresentationRequest({ request: fetched.request, now: Math.floor(Date.now() / 1000) });
  if (!parsed.ok) return fail(app, undefined, parsed.code === "REQUEST_EXPIRED" ? uiError("requestExpired") : uiError("requestInvalid"));
  try {
    const preview = await preparePresentation({ wallet, request: fetched.request });
    // Check the candidates' status afresh, so that the consent screen can warn about a revoked or suspended card.
    app.store.set({ busy: t("statusChecking") });
    await refreshStatuses(app, { fresh: true });
    app.store.set({ busy: undefined, request: { ...EMPTY, view: fetched, preview } });
  } catch (e) {
    app.store.set({ request: { ...EMPTY, view: fetched } });
    fail(app, e, (e as { code?: unknown }).code === "NO_MATCHING_CREDENTIAL" ? uiError("requestNone") : undefined);
  }
}

export async function consent(app: WalletApp, view: RequestView, preview: PreparePresentationReturnType, form: HTMLFormElement): Promise<void> {
  const wallet = app.store.get().wallet;
  if (wallet === undefined) return;
  // Several kinds offered ("any one of"): the one card the holder picked; else one card of each kind.
  const one = preview.items.length > 1 ? form.querySelector<HTMLInputElement>('input[name="choice"]:checked')?.value : undefined;
  const chosen =
    preview.items.length > 1
      ? [one ?? preview.items[0]?.candidates[0]?.id ?? ""]
      : preview.items.map((item) => {
          const radio = form.querySelector<HTMLInputElement>(`input[name="choice-${item.type}"]:checked`);
          return radio?.value ?? item.candidates[0]?.id ?? "";
        });
  const outcome = await busy(app, t("requestSending"), async () => {
    const { jwt } = await createPresentation({ wallet, request: view.request, credentialIds: chosen });
    return api<VerificationOutcome>(view.responseUri, { body: { presentation: jwt } });
  });
  if (outcome === undefined) return;
  app.store.set({ request: { view, preview, outcome, declined: false } });
}

export function decline(app: WalletApp): void {
  app.store.set({ request: { ...EMPTY, declined: true } });
}
