/**
 * The view layer: a hyperscript helper over the DOM. No virtual DOM, no framework: a screen is a function that
 * builds its elements, and `mount` re-runs it when the state changes, keeping the focus where it was.
 */
export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Handler = (event: Event) => void;
export type Props = Readonly<Record<string, string | number | boolean | Handler | null | undefined>>;

/**
 * Creates an element. Props: `class`, `for`, `on<event>` handlers (`onclick`), boolean attributes (true adds,
 * false omits) and any other attribute (`aria-*`, `role`, `data-*`, `type`, ...). Text children are text nodes,
 * never parsed as HTML.
 *
 * @example
 * ```ts
 * h("button", { type: "button", onclick: () => save() }, t("save"))
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Like {@link h} for SVG elements (charts). */
export function s(tag: string, props?: Props | null, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  applyProps(el, props);
  append(el, children);
  return el;
}

function applyProps(el: Element, props: Props | null | undefined): void {
  if (props === null || props === undefined) return;
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "value" && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) {
      el.value = String(value);
    } else if (key === "checked" && el instanceof HTMLInputElement) {
      el.checked = value === true;
    } else {
      el.setAttribute(key === "className" ? "class" : key, value === true ? "" : String(value));
    }
  }
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child as readonly Child[]);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/**
 * Renders `view()` into `root` now and on every `update()`. The element that had the focus (matched by id) gets
 * it back; when `screenKey()` changes, the focus moves to the new screen's `h1`/`h2` (for screen readers: the
 * screen changed).
 */
export function mount(root: HTMLElement, view: () => Child, screenKey: () => string = () => ""): { update(): void } {
  let lastScreen: string | undefined;
  const update = () => {
    const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.id : "";
    const screen = screenKey();
    const fragment = document.createDocumentFragment();
    append(fragment, [view()]);
    root.replaceChildren(fragment);
    if (lastScreen !== undefined && screen !== lastScreen) {
      const heading = root.querySelector<HTMLElement>("[data-screen-heading]") ?? root.querySelector<HTMLElement>("h1, h2");
      if (heading !== null) {
        heading.tabIndex = -1;
        heading.focus();
      }
    } else if (focusedId !== "") {
      document.getElementById(focusedId)?.focus();
    }
    lastScreen = screen;
  };
  update();
  return { update };
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
