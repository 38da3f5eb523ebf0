import { ZeroAddress, getAddress } from "ethers";
import type { Erc1056Event } from "./events.ts";
import type { IdentityAttribute, IdentityDelegate, IdentityState } from "./types.ts";

/**
 * The ERC-1056 state of one identity, folded from its events in chain order. Pure. Mirrors the registry's
 * storage (`owners`, `delegates[identity][type][delegate] = validTo`) and ethr-did-resolver's reading of
 * attributes, with one deliberate difference kept from the resolver: handing the identity to the zero address
 * deactivates it for good, and later events are ignored.
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
      case "delegate":
        this.#delegates.set(`${event.delegateTypeRaw}:${event.delegate}`, {
          delegateType: event.delegateType,
          delegate: event.delegate,
          validTo: event.validTo,
        });
        break;
      case "attribute":
        // Only public keys matter to verification; services and other names are not kept.
        if (event.name.startsWith("did/pub/")) {
          this.#attributes.set(`${event.nameRaw}:${event.value}`, {
            name: event.name,
            value: event.value,
            validTo: event.validTo,
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
