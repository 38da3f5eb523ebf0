import { gzipSync } from "node:zlib";
import type { FastifyInstance } from "fastify";
import type { Contract } from "ethers";
import { AccreditationStatus, type LedgerMirror, StatusPurpose, wordsToBytes } from "@mobile-id/chain";
import { CREDENTIAL_TYPES, type Clock, STATUS_READ_WORDS, credentialTypeId, systemClock, toEthrDid } from "@mobile-id/core";
import { HttpError, errorBodySchema } from "../errors.ts";
import { parseAddress } from "../http/address.ts";
import { identityKeysView } from "./identityKeysView.ts";

export interface HolderRoutesParameters {
  readonly chainId: number;
  /** The services' ledger mirror: identities, standings and list records, read locally. */
  readonly ledger: Pick<LedgerMirror, "identity" | "standingAt" | "statusList" | "freshness">;
  /** The registries, for party names and status words (read at the mirror's block). */
  readonly contracts: { readonly accreditationRegistry: Contract; readonly statusRegistry: Contract };
  readonly clock?: Clock;
}

const errors = { 400: errorBodySchema, 404: errorBodySchema, 503: errorBodySchema };
const ROLES = ["None", "Root", "Accreditor", "Issuer"] as const;
const statusName = (s: number): string => Object.entries(AccreditationStatus).find(([, v]) => v === s)?.[0] ?? `Status${s}`;
/** The contract returns at most 4,096 words per `words` call. */
const WORDS_PER_CALL = STATUS_READ_WORDS;

/**
 * Public ledger reads for wallets, answered per issuer or per list, never per credential: what a phone needs to
 * show a credential's issuer name, its issuer's standing and a live status badge without telling anyone which
 * credential it holds.
 *
 * - `GET /parties/:address`: a party's name and role as registered on the ledger, its ERC-1056 keys (owner and
 *   delegates, to check an issuer's signature locally) and its standing for each credential type.
 * - `GET /status-lists/:listId`: a whole status list's bits. The wallet looks up its own entry locally; the server
 *   learns only the list (shared by up to half a million credentials), not the entry.
 */
export function registerHolderRoutes(app: FastifyInstance, p: HolderRoutesParameters): void {
  const clock = p.clock ?? systemClock;
  const names = new Map<string, { name: string; role: string; registeredAt: number }>();
  // One read per list and block, shared by concurrent wallets.
  const lists = new Map<string, { block: number; body: Promise<{ json: string; gzip: Buffer }> }>();

  const head = () => {
    const f = p.ledger.freshness();
    if (f === undefined) throw new HttpError(503, "LEDGER_UNAVAILABLE", "the ledger mirror is not ready");
    return f.head;
  };

  app.get<{ Params: { address: string } }>(
    "/parties/:address",
    {
      schema: {
        tags: ["network"],
        summary: "A party as recorded on the ledger: name, role, ERC-1056 keys, standing per credential type (public)",
        params: { type: "object", required: ["address"], properties: { address: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } } },
        response: errors,
      },
    },
    async (request) => {
      const identity = parseAddress(request.params.address, "address");
      let party = names.get(identity);
      if (party === undefined) {
        const raw = (await p.contracts.accreditationRegistry.getFunction("party")(identity)) as { role: bigint; name: string; registeredAt: bigint };
        const role = ROLES[Number(raw.role)] ?? "None";
        if (role === "None") throw new HttpError(404, "PARTY_NOT_FOUND", "no party with this identity is registered on the ledger");
        party = { name: raw.name, role, registeredAt: Number(raw.registeredAt) };
        names.set(identity, party); // a party's name and role never change once registered
      }
      const now = clock();
      const keys = p.ledger.identity(identity);
      const at = head();
      const standings = CREDENTIAL_TYPES.flatMap((t) => {
        const s = p.ledger.standingAt(identity, credentialTypeId(t.name, t.version), Math.max(now, at.timestamp));
        if (s.status === AccreditationStatus.None) return [];
        return [
          {
            type: t.name,
            title: t.title,
            inForce: s.inForce,
            status: statusName(s.status),
            accreditorStatus: statusName(s.accreditorStatus),
            accreditor: s.accreditor,
            validFrom: s.validFrom,
            validUntil: s.validUntil,
            since: s.since,
            reason: s.reason,
          },
        ];
      });
      return {
        identity,
        did: toEthrDid(p.chainId, identity),
        name: party.name,
        role: party.role,
        registeredAt: party.registeredAt,
        keys: identityKeysView(keys),
        standings,
        ledger: { blockNumber: at.blockNumber, timestamp: at.timestamp },
      };
    },
  );

  app.get<{ Params: { listId: string } }>(
    "/status-lists/:listId",
    {
      schema: {
        tags: ["network"],
        summary: "A whole status list (public): the wallet checks its own entry locally, so no one learns which",
        params: { type: "object", required: ["listId"], properties: { listId: { type: "string", pattern: "^[0-9]{1,20}$" } } },
        response: errors,
      },
    },
    async (request, reply) => {
      const listId = BigInt(request.params.listId);
      const info = p.ledger.statusList(listId);
      if (info === undefined) throw new HttpError(404, "STATUS_LIST_NOT_FOUND", "no status list with this id");
      const at = head();
      const key = listId.toString();
      let cached = lists.get(key);
      if (cached === undefined || cached.block !== at.blockNumber) {
        const body = readBits(p.contracts.statusRegistry, listId, Number(info.size), at.blockNumber).then((bits) => {
          const json = JSON.stringify({
            listId: key,
            issuer: info.issuer,
            purpose: info.purpose === StatusPurpose.Revocation ? "revocation" : info.purpose === StatusPurpose.Suspension ? "suspension" : "none",
            size: Number(info.size),
            encoding: "base64",
            bitOrder: "entry i is bit (i mod 8) of byte floor(i / 8); 1 = set",
            bits,
            ledger: { blockNumber: at.blockNumber, timestamp: at.timestamp },
          });
          // A list is mostly zeros: 128 KiB of bits (175 KB as base64) gzip to a few hundred bytes.
          return { json, gzip: gzipSync(json) };
        });
        cached = { block: at.blockNumber, body };
        lists.set(key, cached);
        body.catch(() => lists.delete(key));
      }
      const body = await cached.body;
      void reply.header("cache-control", "no-store").header("vary", "accept-encoding").type("application/json; charset=utf-8");
      if (/\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) return reply.header("content-encoding", "gzip").send(body.gzip);
      return reply.send(body.json);
    },
  );
}

/** Every word of a list at one block, as base64 of the bytes in entry order. */
async function readBits(registry: Contract, listId: bigint, size: number, blockTag: number): Promise<string> {
  const wordCount = size / 256;
  const out = new Uint8Array(size / 8);
  const read = registry.getFunction("words");
  for (let from = 0; from < wordCount; from += WORDS_PER_CALL) {
    const count = Math.min(WORDS_PER_CALL, wordCount - from);
    wordsToBytes((await read.staticCall(listId, from, count, { blockTag })) as bigint[], from, out);
  }
  return Buffer.from(out).toString("base64");
}
