/** Looking after cards in the phone wallet (issue 12): details, removal, more copies, in English (merged into `en.ts`). */
import type { careKo } from "./care.ko.ts";

export const careEn: Readonly<Record<keyof typeof careKo, string>> = {
  careClaimsHeading: "What the card says",
  careFactsHeading: "About this card",
  careIssuer: "Issued by",
  careValidity: "Valid",
  careValidityRange: "from {from} until {until}",
  careCopies: "Copies left",
  careCopiesCount: "{n} left (of {total})",
  careCopiesWhy: "Each place that checks your card sees a different copy, so two places cannot tell it is the same person.",
  careLastCheck: "Last status check",
  careNeverChecked: "Not checked yet",
  careRemove: "Remove this card",
  careRemoveTitle: "Remove this card?",
  careRemoveBody: "This deletes its {n} copies and their keys from this phone. It cannot be undone: to get the card back, ask the issuer again.",
  careRemoveConfirm: "Remove",
  careRemoved: "The card was removed.",
  careMoreCopies: "Get more copies",
  careMoreCopiesLow: "{n} copies left. You can get new copies from the issuer.",
  careMoreCopiesBusy: "Getting new copies from the issuer…",
  careMoreCopiesDone: "Received {n} new copies.",
  careMoreCopiesNone: "New copies of this card cannot be fetched. Ask the issuer for a new card.",
  careNoLongerIssued: "The issuer no longer issues copies of this card. It may have been revoked or suspended: contact the issuer.",
  careMoreCopiesFailed: "No new copies were received ({code}). Try again in a moment.",
};
