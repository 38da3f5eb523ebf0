/** Scanning a QR code with the camera; pasting the link is always offered beside it. */
import { uiError } from "../../lib/uiError.ts";
import { h as component } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import { errorBox } from "../../lib/layout.ts";
import { parseWalletLink } from "../../lib/walletLinks.ts";
import { type WalletApp, type WalletState, fail } from "../app.ts";
import { startScanner } from "../scan.ts";
import { handleLink } from "../session.ts";
import { backButton, busyLine, heading, linkForm } from "./parts.ts";

/** The camera view: the camera runs while this element is on screen and stops when it leaves. */
function Camera(props: { readonly app: WalletApp }): Child {
  const { app } = props;
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    const element = video.current;
    if (element === null) return undefined;
    // Not synchronously: a redraw while Preact is still running this effect would run the effect a second time.
    queueMicrotask(() => {
      if (!gone) app.store.set({ busy: t("scanStarting") });
    });
    startScanner(element, (text) => {
      const link = parseWalletLink(text, location.origin);
      if (link === undefined) return fail(app, undefined, uiError("walletLinkInvalid"));
      void handleLink(app, link);
    }).then(
      (scanner) => {
        if (gone) return scanner.stop();
        stop = () => scanner.stop();
        app.store.set({ busy: undefined });
      },
      (reason: unknown) => {
        if (!gone) app.store.set({ busy: undefined, error: reason === "denied" ? uiError("scanDenied") : uiError("scanUnavailable") });
      },
    );
    return () => {
      gone = true;
      stop?.();
    };
  }, [app]);
  return h("video", { ref: video, "aria-label": t("scanVideoLabel"), muted: true, playsinline: true });
}

export function scanScreen(app: WalletApp, s: WalletState): Child {
  return [
    heading(t("scanTitle")),
    h("p", null, t("scanLead")),
    h("div", { class: "scanner" }, s.error === undefined ? component(Camera, { app }) : null),
    errorBox(s.error),
    busyLine(s),
    linkForm(app),
    backButton(app),
  ];
}
