import { getAddress } from "ethers";
import { HttpError } from "../errors.ts";

/**
 * An address from a URL, checksummed: all-lowercase and all-uppercase hex are accepted as is, a mixed-case one
 * must carry a valid EIP-55 checksum (a wrong one is a typo or a tampered link): else a 400 `INVALID_ADDRESS`.
 *
 * @example
 * ```ts
 * parseAddress("0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc", "address"); // "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"
 * ```
 */
export function parseAddress(value: string, name: string): string {
  try {
    return getAddress(value);
  } catch (e) {
    throw new HttpError(400, "INVALID_ADDRESS", `${name} is not an address, or its mixed-case checksum is wrong`, { details: { [name]: value.slice(0, 64) }, cause: e });
  }
}
