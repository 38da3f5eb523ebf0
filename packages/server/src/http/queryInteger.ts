import { HttpError } from "../errors.ts";

/**
 * JSON Schema of an integer query parameter. A query string carries text, and the server coerces no type, so
 * the parameter is declared as a decimal digit string (no sign unless `signed`, no leading zeros, no exponent,
 * no hex) and converted by {@link queryInteger}.
 */
export function integerQuerySchema(minimum: number, maximum: number, signed = false) {
  return {
    type: "string",
    pattern: signed ? "^-?(0|[1-9][0-9]{0,15})$" : "^(0|[1-9][0-9]{0,15})$",
    description: `an integer from ${minimum} to ${maximum}`,
  } as const;
}

/**
 * The integer value of a query parameter declared with {@link integerQuerySchema}, range-checked (400
 * `INVALID_REQUEST` outside `[minimum, maximum]`); `undefined` when absent.
 *
 * @example
 * ```ts
 * queryInteger(request.query.limit, "limit", 1, 1000); // "50" → 50
 * ```
 */
export function queryInteger(value: string | undefined, name: string, minimum: number, maximum: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < minimum || n > maximum) {
    throw new HttpError(400, "INVALID_REQUEST", `${name} must be an integer from ${minimum} to ${maximum}`, { details: { [name]: value } });
  }
  return n;
}
