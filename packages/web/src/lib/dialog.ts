/**
 * A modal dialog as the pages draw it: `role="dialog"`, `aria-modal`, named by its heading, over a backdrop.
 * Escape closes it, Tab and Shift+Tab stay inside it, and whoever opens it gives the id of the control to return
 * the focus to when it closes ({@link closeDialogFocus}).
 */
import { type Child, h } from "./dom.ts";

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The dialog element. `onClose` runs on Escape and on a click on the backdrop.
 *
 * @example
 * ```ts
 * modalDialog({ id: "confirm-dialog", headingId: "confirm-heading", onClose: () => close() }, h("h2", { id: "confirm-heading" }, "…"), …)
 * ```
 */
export function modalDialog(params: { readonly id: string; readonly headingId: string; readonly onClose: () => void }, ...children: Child[]): Child {
  const onkeydown = (e: Event) => {
    const k = e as KeyboardEvent;
    if (k.key === "Escape") {
      k.preventDefault();
      k.stopPropagation();
      params.onClose();
      return;
    }
    if (k.key !== "Tab") return;
    const box = document.getElementById(params.id);
    const items = box === null ? [] : Array.from(box.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = items[0];
    const last = items[items.length - 1];
    if (first === undefined || last === undefined) return;
    if (k.shiftKey && document.activeElement === first) {
      k.preventDefault();
      last.focus();
    } else if (!k.shiftKey && document.activeElement === last) {
      k.preventDefault();
      first.focus();
    }
  };
  return h(
    "div",
    {
      class: "backdrop",
      onclick: (e: Event) => {
        if (e.target === e.currentTarget) params.onClose();
      },
    },
    h("div", { class: "dialog", id: params.id, role: "dialog", "aria-modal": "true", "aria-labelledby": params.headingId, onkeydown }, children),
  );
}

/** Moves the focus into a dialog just drawn: its element `focusId`, else its first control. */
export function openDialogFocus(dialogId: string, focusId?: string): void {
  const box = document.getElementById(dialogId);
  const target = (focusId === undefined ? null : document.getElementById(focusId)) ?? box?.querySelector<HTMLElement>(FOCUSABLE) ?? null;
  target?.focus();
}

/** Returns the focus to the control that opened a dialog (if it is still on screen), else to `fallbackId`. */
export function closeDialogFocus(openerId: string | undefined, fallbackId?: string): void {
  const opener = openerId === undefined ? null : document.getElementById(openerId);
  const target = opener ?? (fallbackId === undefined ? null : document.getElementById(fallbackId));
  target?.focus();
}
