import { ZeroAddress, getAddress } from "ethers";
import type { Erc1056Event } from "./events.ts";
import type { IdentityAttribute, IdentityDelegate, IdentityState, ResolverKeyCounter } from "./types.ts";

/** ethr-did-resolver's grammar for attribute names (`did/pub/<algorithm>[/<purpose>[/<encoding>]]`). */
const RESOLVER_ATTRIBUTE_NAME = /^did\/(pub|svc)\/(\w+)(\/(\w+))?(\/(\w+))?$/;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** ethr-did-resolver drops an event whose bytes32 field is not UTF-8 (its `bytes32toString` fails). */
function isUtf8(bytes32Hex: string): boolean {
  try {
    STRICT_UTF8.decode(Buffer.from(bytes32Hex.slice(2), "hex"));
    return true;
  } catch {
    return false;
  }
}

/**
 * The ERC-1056 state of one identity, folded from its events in chain order. Pure. Mirrors the registry's
 * storage (`owners`, `delegates[identity][type][delegate] = validTo`) and ethr-did-resolver's reading of
 * attributes, with one deliberate difference kept from the resolver: handing the identity to the zero address
 * deactivates it for good, and later events are ignored. Each delegate and public-key attribute also carries
 * ethr-did-resolver's key counter, so that a verifier can give it the resolver's id (`#delegate-N`).
 */
export class IdentityAccumulator {
  readonly identity: string;
  #owner: string;
  #deactivated = false;
  #changes = 0;
  /** Keyed by raw bytes32 type + delegate: the registry's own key (two types never collide). */
  readonly #delegates = new Map<string, IdentityDelegate>();
  /** Keyed by raw bytes32 name + value, as ethr-did-resolver keys attributes. */
  readonly #attributes = new Map<string, IdentityAttribute>();
  /** Events ethr-did-resolver counts in `#delegate-N` so far. */
  #counted = 0;
  readonly #irregular: ResolverKeyCounter[] = [];
  #snapshot: IdentityState | undefined;

  constructor(identity: string) {
    this.identity = getAddress(identity);
    this.#owner = this.identity;
  }

  apply(event: Erc1056Event): void {
    this.#changes++;
    this.#snapshot = undefined;
    if (this.#deactivated) return;
    switch (event.kind) {
      case "owner":
        this.#owner = event.owner;
        if (event.owner === ZeroAddress) this.#deactivated = true;
        break;
      case "delegate": {
        const counted = isUtf8(event.delegateTypeRaw);
        if (counted) this.#counted++;
        this.#delegates.set(`${event.delegateTypeRaw}:${event.delegate}`, {
          delegateType: event.delegateType,
          delegate: event.delegate,
          validTo: event.validTo,
          ...(counted ? { counter: this.#counted } : {}),
        });
        break;
      }
      case "attribute":
        // Only public keys matter to verification; services and other names are not kept.
        if (event.name.startsWith("did/pub/")) {
          const utf8 = isUtf8(event.nameRaw);
          const counted = utf8 && RESOLVER_ATTRIBUTE_NAME.test(event.name);
          if (counted) this.#counted++;
          else if (utf8) this.#irregular.push(Object.freeze({ after: this.#counted, validTo: event.validTo }));
          this.#attributes.set(`${event.nameRaw}:${event.value}`, {
            name: event.name,
            value: event.value,
            validTo: event.validTo,
            ...(counted ? { counter: this.#counted } : {}),
          });
        }
        break;
    }
  }

  /** An immutable snapshot, reused until the next change. */
  state(): IdentityState {
    this.#snapshot ??= Object.freeze({
      identity: this.identity,
      owner: this.#owner,
      deactivated: this.#deactivated,
      delegates: Object.freeze([...this.#delegates.values()]),
      attributes: Object.freeze([...this.#attributes.values()]),
      ...(this.#irregular.length > 0 ? { irregularKeyEvents: Object.freeze([...this.#irregular]) } : {}),
      changes: this.#changes,
    });
    return this.#snapshot;
  }
}

/**
 * The state of an identity that has no registry event: its own key owns it, nothing else.
 *
 * @example
 * ```ts
 * untouchedIdentity("0xf39F…").owner // "0xf39F…"
 * ```
 */
export function untouchedIdentity(identity: string): IdentityState {
  const address = getAddress(identity);
  return { identity: address, owner: address, deactivated: false, delegates: [], attributes: [], changes: 0 };
}

/**
 * Folds an identity's events (in chain order) into its state.
 *
 * @example
 * ```ts
 * const state = foldIdentityEvents(address, events);
 * ```
 */
export function foldIdentityEvents(identity: string, events: Iterable<Erc1056Event>): IdentityState {
  const acc = new IdentityAccumulator(identity);
  for (const e of events) acc.apply(e);
  return acc.state();
}
