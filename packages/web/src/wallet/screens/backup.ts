/**
 * Backup, restore and moving to a new phone (issue 12). A backup file is the wallet package's backup envelope
 * (scrypt + XChaCha20-Poly1305 under a backup passphrase): the holder's keys and JWT-VC cards. SD-JWT VC cards are
 * bound to keys this phone cannot export, so they never travel: the screens say so, and the new phone asks the
 * issuer for new copies.
 */
import { type Child, h } from "../../lib/dom.ts";
import { t } from "../../lib/i18n.ts";
import { errorBox } from "../../lib/layout.ts";
import { type WalletApp, type WalletState, fail } from "../app.ts";
import { uiError } from "../../lib/uiError.ts";
import { makeBackup, restoreFromBackup, restoreIntoWallet } from "../deviceSession.ts";
import { confirmDialog } from "../dialog.ts";
import { backButton, busyLine, heading } from "./parts.ts";

function field(form: HTMLFormElement, name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? "";
}

async function fileBytes(form: HTMLFormElement, name: string): Promise<Uint8Array | undefined> {
  const file = (form.elements.namedItem(name) as HTMLInputElement | null)?.files?.[0];
  return file === undefined ? undefined : new Uint8Array(await file.arrayBuffer());
}

function password(id: string, name: string, label: string, autocomplete: string, hint?: string): Child {
  return [
    h("label", { for: id }, label, hint === undefined ? null : h("span", { class: "hint", id: `${id}-hint` }, hint)),
    h("input", { id, name, type: "password", required: true, minlength: 8, autocomplete, "aria-describedby": hint === undefined ? null : `${id}-hint` }),
  ];
}

/**
 * A file chooser in the page's language: the browser's own button says "Choose File" in the browser's language
 * whatever the page's, so the input is hidden visually (still focusable and labelled) behind a button-styled label.
 */
function fileInput(id: string): Child {
  return [
    h("span", { class: "label", id: `${id}-label` }, t("backupFile")),
    h(
      "div",
      { class: "file-pick" },
      h("input", {
        id,
        name: "file",
        type: "file",
        class: "file-input",
        accept: ".midb,application/octet-stream",
        required: true,
        "aria-labelledby": `${id}-label ${id}-button`,
        onchange: (e: Event) => {
          const input = e.currentTarget as HTMLInputElement;
          const out = document.getElementById(`${id}-name`);
          if (out !== null) out.textContent = input.files?.[0]?.name ?? t("backupNoFileChosen");
        },
      }),
      h("label", { for: id, class: "button secondary", id: `${id}-button` }, t("backupChooseFile")),
      h("span", { class: "hint", id: `${id}-name` }, t("backupNoFileChosen")),
    ),
  ];
}

function download(bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `mobile-id-wallet-${new Date().toISOString().slice(0, 10)}.midb`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const cancel = () => t("cancel");

/** The open wallet's backup screen: make a backup, move to a new phone, restore a backup into this wallet. */
export function backupScreen(app: WalletApp, s: WalletState): Child {
  return [
    heading(t("backupTitle")),
    busyLine(s),
    errorBox(s.error),
    s.notice === undefined ? null : h("p", { class: "notice ok", role: "status", id: "backup-notice" }, s.notice),
    h(
      "section",
      { class: "panel", "aria-labelledby": "backup-make" },
      h("h2", { id: "backup-make" }, t("backupMakeTitle")),
      h("p", null, t("backupMakeLead")),
      h("p", { class: "notice warn" }, t("backupDeviceBound")),
      h(
        "form",
        {
          onsubmit: async (e: Event) => {
            e.preventDefault();
            const form = e.currentTarget as HTMLFormElement;
            const ok = await confirmDialog({ id: "backup-confirm", title: t("backupConfirmTitle"), body: [t("backupConfirmBody")], confirm: t("backupMake"), cancel: cancel() });
            if (ok !== true) return;
            const bytes = await makeBackup(app, field(form, "passphrase"), field(form, "confirm"));
            if (bytes === undefined) return;
            download(bytes);
            form.reset();
            app.store.set({ notice: t("backupMade"), noticeFor: undefined });
          },
        },
        password("backup-passphrase", "passphrase", t("backupPassphrase"), "new-password", t("backupPassphraseHint")),
        password("backup-confirm-passphrase", "confirm", t("walletPassphraseConfirm"), "new-password"),
        h("div", { class: "actions" }, h("button", { type: "submit", id: "backup-make-button", disabled: s.busy !== undefined }, t("backupMake"))),
      ),
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "backup-move" },
      h("h2", { id: "backup-move" }, t("moveTitle")),
      h("ol", { class: "steps" }, h("li", null, t("moveStep1")), h("li", null, t("moveStep2")), h("li", null, t("moveStep3")), h("li", null, t("moveStep4"))),
    ),
    h(
      "section",
      { class: "panel", "aria-labelledby": "backup-restore" },
      h("h2", { id: "backup-restore" }, t("restoreHereTitle")),
      h("p", null, t("restoreHereLead")),
      h(
        "form",
        {
          onsubmit: async (e: Event) => {
            e.preventDefault();
            const form = e.currentTarget as HTMLFormElement;
            const bytes = await fileBytes(form, "file");
            if (bytes === undefined) return fail(app, undefined, uiError("backupNoFile"));
            const older = (form.elements.namedItem("rollback") as HTMLInputElement | null)?.checked === true;
            const ok = await confirmDialog({ id: "restore-confirm", title: t("restoreConfirmTitle"), body: [t("restoreConfirmBody")], confirm: t("restoreHere"), cancel: cancel(), danger: true });
            if (ok !== true) return;
            await restoreIntoWallet(app, bytes, field(form, "passphrase"), older);
          },
        },
        fileInput("restore-here-file"),
        password("restore-here-passphrase", "passphrase", t("backupPassphrase"), "current-password"),
        h("label", { class: "check" }, h("input", { type: "checkbox", name: "rollback", id: "restore-rollback" }), t("restoreAllowOlder")),
        h("div", { class: "actions" }, h("button", { type: "submit", class: "danger", id: "restore-here-button", disabled: s.busy !== undefined }, t("restoreHere"))),
      ),
    ),
    backButton(app),
  ];
}

/** The new phone: a wallet made from a backup file (shown instead of "create" when the holder chooses it). */
export function restoreScreen(app: WalletApp, s: WalletState): Child {
  return h(
    "section",
    { class: "panel" },
    heading(t("restoreTitle")),
    h("p", null, t("restoreLead")),
    h("p", { class: "notice warn" }, t("backupDeviceBound")),
    h(
      "form",
      {
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const form = e.currentTarget as HTMLFormElement;
          const bytes = await fileBytes(form, "file");
          if (bytes === undefined) return fail(app, undefined, uiError("backupNoFile"));
          await restoreFromBackup(app, bytes, field(form, "backup"), field(form, "passphrase"), field(form, "confirm"));
        },
      },
      fileInput("restore-file"),
      password("restore-backup-passphrase", "backup", t("backupPassphrase"), "current-password"),
      password("restore-passphrase", "passphrase", t("restoreNewPassphrase"), "new-password", t("walletPassphraseHint")),
      password("restore-confirm", "confirm", t("walletPassphraseConfirm"), "new-password"),
      errorBox(s.error),
      busyLine(s),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", id: "restore-submit", disabled: s.busy !== undefined }, t("restoreSubmit")),
        h("button", { type: "button", class: "secondary", id: "restore-cancel", onclick: () => app.store.set({ phase: "create", error: undefined }) }, t("restoreBackToCreate")),
      ),
    ),
  );
}
