/**
 * A modal confirmation (the native `<dialog>`): focus moves into it, Escape closes it (as "cancel"), and on close
 * the focus returns to the control that opened it. Text only (never HTML). Optionally asks for a passphrase.
 */
export interface ConfirmOptions {
  readonly title: string;
  readonly body: readonly string[];
  readonly confirm: string;
  readonly cancel: string;
  readonly danger?: boolean;
  /** Ask for a passphrase: its label. The answer is then the passphrase typed. */
  readonly passphraseLabel?: string;
  /** An id for tests and styles. */
  readonly id?: string;
}

/**
 * Shows the dialog; resolves `false` on cancel or Escape, `true` (or the passphrase typed) on confirm.
 *
 * @example
 * ```ts
 * if (await confirmDialog({ title: t("backupRestoreConfirmTitle"), body: [t("backupRestoreConfirmBody")], confirm: t("backupRestore"), cancel: t("cancel") })) restore();
 * ```
 */
export function confirmDialog(options: ConfirmOptions): Promise<boolean | string> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const dialog = document.createElement("dialog");
  dialog.className = "wallet-dialog";
  if (options.id !== undefined) dialog.id = options.id;
  const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
  dialog.setAttribute("aria-labelledby", titleId);
  const form = document.createElement("form");
  form.method = "dialog";
  const h2 = document.createElement("h2");
  h2.id = titleId;
  h2.textContent = options.title;
  form.append(h2);
  for (const line of options.body) {
    const p = document.createElement("p");
    p.textContent = line;
    form.append(p);
  }
  let input: HTMLInputElement | undefined;
  if (options.passphraseLabel !== undefined) {
    const label = document.createElement("label");
    label.htmlFor = `${dialog.id || titleId}-passphrase`;
    label.textContent = options.passphraseLabel;
    input = document.createElement("input");
    input.type = "password";
    input.id = label.htmlFor;
    input.autocomplete = "current-password";
    input.required = true;
    input.minLength = 8;
    form.append(label, input);
  }
  const actions = document.createElement("div");
  actions.className = "actions";
  const ok = document.createElement("button");
  ok.type = "submit";
  ok.value = "confirm";
  ok.className = options.danger === true ? "danger" : "";
  ok.textContent = options.confirm;
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "secondary";
  cancel.textContent = options.cancel;
  actions.append(ok, cancel);
  form.append(actions);
  dialog.append(form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer: boolean | string = false;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      answer = input === undefined ? true : input.value;
      dialog.close();
    });
    cancel.addEventListener("click", () => dialog.close());
    // Escape fires `cancel` then `close`: the answer stays false.
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener?.isConnected === true) opener.focus();
      resolve(answer);
    });
    dialog.showModal();
    (input ?? cancel).focus();
  });
}
