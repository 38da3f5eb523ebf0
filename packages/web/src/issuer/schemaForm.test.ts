import { describe, expect, it } from "vitest";
import type { JsonSchema } from "../lib/api.ts";
import type { VNode } from "preact";
import { claimsFromValues, fieldKind, formFields, htmlPattern, schemaFields } from "./schemaForm.ts";

const schema: JsonSchema = {
  type: "object",
  required: ["id", "familyName", "licenseClasses"],
  properties: {
    id: { type: "string" },
    grade: { type: "integer", minimum: 1, maximum: 9 },
    familyName: { type: "string", minLength: 1 },
    birthDate: { type: "string", format: "date" },
    degreeLevel: { enum: ["bachelor", "master"] },
    licenseClasses: { type: "array", items: { enum: ["1-large", "2-ordinary"] } },
    conditions: { type: "array", items: { type: "string" } },
  },
};

describe("the schema form", () => {
  it("asks for every property but the subject id, required ones first, with the right control", () => {
    expect(formFields(schema).map((f) => [f.name, f.kind, f.required])).toEqual([
      ["familyName", "text", true],
      ["licenseClasses", "enum-list", true],
      ["grade", "integer", false],
      ["birthDate", "date", false],
      ["degreeLevel", "enum", false],
      ["conditions", "text-list", false],
    ]);
    expect(fieldKind({ type: "string" })).toBe("text");
  });

  it("turns form values back into claims: empty optional fields left out, integers and lists typed", () => {
    expect(
      claimsFromValues(schema, { familyName: " 김 ", grade: "5", birthDate: "", degreeLevel: "", licenseClasses: ["2-ordinary"], conditions: "glasses\n\n automatic " }),
    ).toEqual({ familyName: "김", grade: 5, licenseClasses: ["2-ordinary"], conditions: ["glasses", "automatic"] });
    expect(claimsFromValues(schema, { licenseClasses: [] })).toEqual({});
  });

  it("passes a schema pattern to the browser only when the browser can compile it", () => {
    expect(htmlPattern("^[0-9]{2}-[0-9]{6}$")).toBe("[0-9]{2}-[0-9]{6}");
    expect(htmlPattern("^[0-9A-Za-z-]{4,20}$")).toBeNull(); // a trailing "-" in a class is an error under the v flag
    expect(htmlPattern(undefined)).toBeNull();
  });

  it("draws every control from the draft and reports each edit, so a redraw keeps what was typed", () => {
    const changes: [string, unknown][] = [];
    const tree = schemaFields(schema, "claim", "ko", {
      values: { familyName: "김", grade: "5", degreeLevel: "master", licenseClasses: ["2-ordinary"], conditions: "glasses" },
      onChange: (name, value) => changes.push([name, value]),
    });
    const nodes: VNode<Record<string, unknown>>[] = [];
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (typeof x === "object" && x !== null && "props" in x) {
        nodes.push(x as VNode<Record<string, unknown>>);
        walk((x as VNode<{ children?: unknown }>).props.children);
      }
    };
    walk(tree);
    const byId = (id: string) => nodes.find((n) => n.props["id"] === id)!.props;
    expect(byId("claim-familyName")["value"]).toBe("김");
    expect(byId("claim-grade")["value"]).toBe("5");
    expect(byId("claim-birthDate")["value"]).toBe("");
    expect(byId("claim-degreeLevel")["value"]).toBe("master");
    expect(byId("claim-conditions")["value"]).toBe("glasses");
    const boxes = nodes.filter((n) => n.props["name"] === "licenseClasses").map((n) => [n.props["value"], n.props["checked"]]);
    expect(boxes).toEqual([["1-large", false], ["2-ordinary", true]]);
    (byId("claim-familyName")["oninput"] as (e: unknown) => void)({ currentTarget: { value: "박" } });
    const large = nodes.find((n) => n.props["name"] === "licenseClasses" && n.props["value"] === "1-large")!.props;
    (large["onchange"] as (e: unknown) => void)({ currentTarget: { checked: true } });
    expect(changes).toEqual([["familyName", "박"], ["licenseClasses", ["2-ordinary", "1-large"]]]);
  });
});
