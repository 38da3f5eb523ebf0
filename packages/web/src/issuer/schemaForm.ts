/**
 * A form generated from a credential type's JSON Schema (as `GET /credential-types` serves it), and the
 * inverse: the form's values back into claims. The browser's own constraint checks (required, pattern, min/max)
 * mirror the schema; the issuer service validates the claims against the schema again, authoritatively.
 */
import type { JsonSchema } from "../lib/api.ts";
import { type Child, h } from "../lib/dom.ts";
import { type Lang, t } from "../lib/i18n.ts";
import { claimLabel, claimValue } from "../lib/words.ts";

/** Properties the form does not ask for: the subject id is the holder DID, entered separately. */
const SKIPPED = new Set(["id"]);

export type FieldKind = "text" | "date" | "integer" | "enum" | "enum-list" | "text-list";

/** How a schema property is entered. Pure. */
export function fieldKind(schema: JsonSchema): FieldKind {
  if (schema.enum !== undefined) return "enum";
  if (schema.type === "array") return schema.items?.enum !== undefined ? "enum-list" : "text-list";
  if (schema.type === "integer" || schema.type === "number") return "integer";
  if (schema.type === "string" && schema.format === "date") return "date";
  return "text";
}

/** The fields of a credential schema, in schema order, required ones first. Pure. */
export function formFields(schema: JsonSchema): { readonly name: string; readonly schema: JsonSchema; readonly required: boolean; readonly kind: FieldKind }[] {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {})
    .filter(([name]) => !SKIPPED.has(name))
    .map(([name, s]) => ({ name, schema: s, required: required.has(name), kind: fieldKind(s) }));
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

/** What the fields show (by control name) and how a change reaches the caller: the form is drawn from this draft. */
export interface SchemaFieldValues {
  readonly values: Readonly<Record<string, string | readonly string[]>>;
  readonly onChange: (name: string, value: string | readonly string[]) => void;
  /** An error about one field (by claim name), shown next to it. */
  readonly error?: { readonly name: string; readonly text: string };
}

/**
 * Renders the fields as labelled controls, with ids prefixed by `prefix`. Each control shows `draft.values[name]`
 * and reports every edit to `draft.onChange`, so that what was typed survives a redraw (an error, a language switch).
 */
export function schemaFields(schema: JsonSchema, prefix: string, language: Lang, draft: SchemaFieldValues): Child {
  const text = (name: string): string => {
    const v = draft.values[name];
    return typeof v === "string" ? v : "";
  };
  const onInput = (name: string) => (e: Event) => draft.onChange(name, (e.currentTarget as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value);
  return formFields(schema).map((f) => {
    const id = `${prefix}-${f.name}`;
    const field = fieldControls(f, id);
    if (draft.error?.name !== f.name) return field;
    return [field, h("p", { class: "field-error", id: `${id}-error` }, `▲ ${draft.error.text}`)];
  });

  function fieldControls(f: ReturnType<typeof formFields>[number], id: string): Child {
    const invalid = draft.error?.name === f.name;
    const aria = (...hints: string[]) => {
      const ids = [...hints, ...(invalid ? [`${id}-error`] : [])];
      return { "aria-invalid": invalid ? "true" : null, "aria-describedby": ids.length === 0 ? null : ids.join(" ") };
    };
    const label = h("label", { for: id }, claimLabel(f.name, language), " ", h("span", { class: "hint", "aria-hidden": "true" }, `(${f.required ? t("required") : t("optional")})`));
    const s = f.schema;
    switch (f.kind) {
      case "enum": {
        const options = (s.enum ?? []).map(String);
        // A required choice starts on its first option, as the browser shows it.
        const value = text(f.name) !== "" ? text(f.name) : f.required ? (options[0] ?? "") : "";
        return [
          label,
          h(
            "select",
            { id, name: f.name, required: f.required, value, onchange: onInput(f.name), ...aria() },
            f.required ? null : h("option", { value: "" }, "—"),
            options.map((v) => h("option", { value: v }, claimValue(v, language))),
          ),
        ];
      }
      case "enum-list": {
        const chosen = draft.values[f.name];
        const list: readonly string[] = Array.isArray(chosen) ? chosen : [];
        return h(
          "fieldset",
          { id, "data-field": f.name, ...aria() },
          h("legend", null, claimLabel(f.name, language), " ", h("span", { class: "hint" }, `(${f.required ? t("required") : t("optional")})`)),
          (s.items?.enum ?? []).map(String).map((v) =>
            h(
              "label",
              { class: "check" },
              h("input", {
                type: "checkbox",
                name: f.name,
                value: v,
                checked: list.includes(v),
                onchange: (e: Event) => draft.onChange(f.name, (e.currentTarget as HTMLInputElement).checked ? [...list, v] : list.filter((x) => x !== v)),
              }),
              claimValue(v, language),
            ),
          ),
        );
      }
      case "text-list":
        return [label, h("textarea", { id, name: f.name, rows: 3, value: text(f.name), oninput: onInput(f.name), ...aria(`${id}-hint`) }), h("span", { class: "hint", id: `${id}-hint` }, "one per line / 한 줄에 하나")];
      case "integer":
        return [label, h("input", { id, name: f.name, type: "number", required: f.required, min: s.minimum ?? null, max: s.maximum ?? null, step: 1, value: text(f.name), oninput: onInput(f.name), ...aria() })];
      case "date":
        return [label, h("input", { id, name: f.name, type: "date", required: f.required, value: text(f.name), oninput: onInput(f.name), ...aria() })];
      default:
        return [
          label,
          h("input", {
            id,
            name: f.name,
            type: "text",
            required: f.required,
            minlength: s.minLength ?? null,
            maxlength: s.maxLength ?? null,
            pattern: htmlPattern(s.pattern),
            autocomplete: "off",
            value: text(f.name),
            oninput: onInput(f.name),
            ...aria(),
          }),
        ];
    }
  }
}

/**
 * A schema `pattern` as an HTML `pattern` attribute, or null. Browsers compile the attribute anchored and with the
 * `v` flag, which rejects some patterns that are valid JSON Schema (such as a trailing `-` in a class); those are
 * left to the service's validation rather than logged as errors.
 */
export function htmlPattern(pattern: string | undefined): string | null {
  if (pattern === undefined) return null;
  const inner = pattern.replace(/^\^/, "").replace(/\$$/, "");
  try {
    new RegExp(`^(?:${inner})$`, "v");
    return inner;
  } catch {
    return null;
  }
}

/**
 * The claims from form values: empty optional fields left out, integers as numbers, lists as arrays. Pure.
 *
 * @example
 * ```ts
 * claimsFromValues(schema, { familyName: "김", grade: "5" }) // { familyName: "김", grade: 5 }
 * ```
 */
export function claimsFromValues(schema: JsonSchema, values: Readonly<Record<string, string | string[]>>): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const f of formFields(schema)) {
    const v = values[f.name];
    if (v === undefined) continue;
    if (f.kind === "enum-list") {
      const list = Array.isArray(v) ? v : [v];
      if (list.length > 0) claims[f.name] = list;
    } else if (f.kind === "text-list") {
      const list = (Array.isArray(v) ? v : v.split("\n")).map((x) => x.trim()).filter((x) => x !== "");
      if (list.length > 0) claims[f.name] = list;
    } else {
      const text = (Array.isArray(v) ? (v[0] ?? "") : v).trim();
      if (text === "") continue;
      claims[f.name] = f.kind === "integer" ? Number(text) : text;
    }
  }
  return claims;
}
