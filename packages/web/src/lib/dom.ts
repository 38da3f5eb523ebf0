/**
 * The view layer: Preact's virtual DOM behind the hyperscript `h()` the pages always used. A redraw diffs against
 * what is on screen, so the element with the focus, what a person typed into an input and the camera's video
 * element stay where they are; only what changed is touched. Text is always inserted as text, never as HTML.
 *
 * Why hyperscript and not JSX: the repository's TypeScript is checked by one root `tsc` with no JSX set up, and
 * `h("button", { … }, …)` reads as well for forms and lists.
 */
import { type ComponentChildren, type RefObject, type VNode, h as preactH } from "preact";

/** What a view returns: elements, text, lists of them, or nothing. */
export type Child = ComponentChildren;
type Handler = (event: Event) => unknown;
/** Attributes and properties of an element; `on<event>` handlers; `key` (identity in a list); `ref`. */
export type Props = Readonly<Record<string, string | number | boolean | Handler | RefObject<unknown> | null | undefined>>;

/**
 * Describes an element. Props: `class`, `for`, `on<event>` handlers (`onclick`), boolean attributes and
 * properties (`disabled`, `checked`, `value`, `defaultValue`), `key` and `ref`, and any other attribute (`aria-*`,
 * `role`, `data-*`, `type`, ...); null or undefined leaves the attribute out. SVG elements are described the same
 * way, inside an `svg`. Controls whose constraints differ (another credential type's fields) need another `key`, so
 * that they are made afresh rather than patched.
 *
 * @example
 * ```ts
 * h("button", { type: "button", onclick: () => save() }, t("save"))
 * ```
 */
export function h(tag: string, props?: Props | null, ...children: Child[]): VNode {
  if (props === null || props === undefined) return preactH(tag, null, ...children);
  // A null or undefined prop means "no such attribute": Preact would set a reflected property such as `pattern`
  // to "" instead, which is a different constraint (only the empty string matches).
  const defined: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) if (value !== null && value !== undefined) defined[key] = value;
  return preactH(tag, defined, ...children);
}

/** Reads a form's named controls as strings (checkbox groups as arrays). */
export function formValues(form: HTMLFormElement): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const el of Array.from(form.elements)) {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) || el.name === "") continue;
    if (el instanceof HTMLInputElement && el.type === "checkbox") {
      const list = (out[el.name] as string[] | undefined) ?? [];
      if (el.checked) list.push(el.value);
      out[el.name] = list;
    } else if (el instanceof HTMLInputElement && el.type === "radio") {
      if (el.checked) out[el.name] = el.value;
    } else {
      out[el.name] = el.value;
    }
  }
  return out;
}

/** Copies text to the clipboard; false when the browser refuses (then the text stays selectable on screen). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
