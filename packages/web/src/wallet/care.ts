/**
 * Looking after a card held as SD-JWT VC copies (issue 12): "get more copies" from its issuer, and removing it from
 * the phone (its copies, their holder keys, its refresh grant and its last known status). Store-level actions;
 * the protocol work is in `moreCopies.ts`, loaded on first use.
 */
import { t } from "../lib/i18n.ts";
import { type UiError, uiError } from "../lib/uiError.ts";
import { type WalletApp, fail, refreshCards, toCards } from "./app.ts";
import { confirmDialog } from "./dialog.ts";
import { removeCard } from "./sdjwt/copies.ts";
import { deleteHolderKeys } from "./sdjwt/holderKeys.ts";
import { forgetRefreshGrant } from "./sdjwt/refreshGrants.ts";
import { forgetSealedStatus } from "./sdjwt/sealedStatus.ts";

/** A card with this many unused copies or fewer offers "get more copies" on its face. */
export const LOW_COPIES = 2;

/**
 * Gets new copies of a card from its issuer and adds them to the card; says how many arrived, or why none did
 * ("the issuer no longer issues copies of this card" for a revoked or suspended one).
 *
 * @example
 * ```ts
 * await getMoreCopiesFor(app, card.batch);
 * ```
 */
export async function getMoreCopiesFor(app: WalletApp, batch: string): Promise<void> {
  const s = app.store.get();
  const card = s.sdCards.find((c) => c.batch === batch);
  if (card === undefined || s.vault === undefined || s.wallet === undefined || s.busy !== undefined) return;
  app.store.set({ busy: t("careMoreCopiesBusy"), error: undefined, notice: undefined });
  try {
    const { getMoreCopies } = await import("./moreCopies.ts");
    const { added } = await getMoreCopies({ vault: s.vault, card, chainId: s.wallet.chainId, party: app.checker.party });
    await refreshCards(app);
    app.store.set({ busy: undefined, notice: t("careMoreCopiesDone", { n: added }) });
  } catch (e) {
    fail(app, e, (e as { ui?: UiError }).ui ?? uiError("careMoreCopiesFailed", { code: "—" }));
  }
}

/**
 * Asks (a dialog: Escape cancels, the focus returns to the button) and removes a card held as SD-JWT VC copies:
 * its copies, their non-extractable holder keys, its refresh grant and DPoP key, and its last known status.
 *
 * @example
 * ```ts
 * await removeSdJwtCard(app, card.batch);
 * ```
 */
export async function removeSdJwtCard(app: WalletApp, batch: string): Promise<void> {
  const s = app.store.get();
  const card = s.sdCards.find((c) => c.batch === batch);
  if (card === undefined || s.vault === undefined) return;
  const ok = await confirmDialog({
    id: "remove-dialog",
    title: t("careRemoveTitle"),
    body: [t("careRemoveBody", { n: card.copies })],
    confirm: t("careRemoveConfirm"),
    cancel: t("cancel"),
    danger: true,
  });
  if (ok === false) return;
  const vault = s.vault;
  try {
    const keyIds = await removeCard({ vault, batch });
    await deleteHolderKeys(vault.db, keyIds);
    await forgetRefreshGrant(vault, batch);
    await forgetSealedStatus(vault, batch);
  } catch (e) {
    return fail(app, e);
  }
  app.store.set((x) => ({ statuses: new Map([...x.statuses].filter(([id]) => id !== batch)) }));
  await refreshCards(app);
  toCards(app, t("careRemoved"));
}
