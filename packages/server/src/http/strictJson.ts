import secureJson from "secure-json-parse";
import { HttpError } from "../errors.ts";

/**
 * The first key that appears twice in one object of a syntactically valid JSON text, compared after unescaping
 * (`"a"` and `"\u0061"` are the same key); `undefined` if none. Iterative, O(length). Pure.
 *
 * @example
 * ```ts
 * findDuplicateKey('{"a":1,"b":{"a":2}}'); // undefined
 * findDuplicateKey('{"a":1,"\\u0061":2}');  // "a"
 * ```
 */
export function findDuplicateKey(text: string): string | undefined {
  // One entry per open container: the keys seen so far for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] instanceof Set;
    } else if (c === 0x22 /* " */) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c /* \ */ ? 2 : 1;
      const keys = stack[stack.length - 1];
      if (expectKey && keys instanceof Set) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

/**
 * Parses a JSON request body strictly: a syntax error, a duplicate key in any object (which parsers resolve
 * differently: the last one wins in JavaScript, the first in others, so a signed or checked value could differ
 * from the one used) or a prototype-poisoning key (`__proto__`, `constructor.prototype`) is a 400.
 *
 * @example
 * ```ts
 * parseStrictJson('{"presentation":"x"}'); // { presentation: "x" }
 * parseStrictJson('{"a":1,"a":2}');        // throws HttpError 400 DUPLICATE_JSON_KEY
 * ```
 */
export function parseStrictJson(text: string): unknown {
  if (text.trim().length === 0) throw new HttpError(400, "INVALID_JSON", "the JSON body is empty");
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: "error", constructorAction: "error" });
  } catch (e) {
    // secure-json-parse throws a SyntaxError for both bad syntax and a poisoning key; neither says more.
    throw new HttpError(400, "INVALID_JSON", "the body is not valid JSON", { cause: e });
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    throw new HttpError(400, "DUPLICATE_JSON_KEY", "a JSON object in the body has the same key twice", { details: { key: duplicate.slice(0, 100) } });
  }
  return value;
}
