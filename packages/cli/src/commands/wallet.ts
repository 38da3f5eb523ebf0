import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { RpcLedgerReader } from "@mobile-id/chain";
import { MobileIdError } from "@mobile-id/core";
import { createMemoryNonceStore, createVerifier } from "@mobile-id/verifier";
import {
  type Wallet,
  createHolderKeys,
  createPresentation,
  createWallet,
  exportBackup,
  fileWalletStorage,
  importBackup,
  importCredential,
  importSdJwtVcCopies,
  listCredentials,
  listSdJwtVcs,
  lockWallet,
  openWallet,
  preparePresentation,
  presentSdJwtVcCopy,
  removeCredential,
  recoverKeyRotation,
  rotateKey,
  showCredential,
} from "@mobile-id/wallet";
import type { Context } from "../context.ts";
import { ask, passphraseFrom, readTextInput } from "../input.ts";
import { RejectedError, table } from "../output.ts";
import type { LocalRunner, Runner } from "../runner.ts";
import { registerWalletProtocolCommands } from "./walletProtocols.ts";

export interface WalletOpts {
  readonly wallet?: string;
  readonly passphraseFile?: string;
}

const walletPath = (dataDir: string, o: WalletOpts) => o.wallet ?? process.env["MID_WALLET"] ?? join(dataDir, "wallet.midw");

export async function withWallet<T>(dataDir: string, o: WalletOpts, body: (w: Wallet) => Promise<T>): Promise<T> {
  const wallet = await openWallet({ storage: fileWalletStorage({ path: walletPath(dataDir, o) }), passphrase: await passphraseFrom(o.passphraseFile) });
  try {
    return await body(wallet);
  } finally {
    await lockWallet({ wallet });
  }
}

/** SD-JWT VC copies in `text`: a JSON array of them, an issuer's batch (`{ copies: [...] }`), or one per line. */
function sdJwtVcCopiesOf(text: string): string[] | undefined {
  const t = text.trim();
  if (t.startsWith("[") || t.startsWith("{")) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      return undefined;
    }
    const list = Array.isArray(v) ? v : (v as { copies?: unknown }).copies;
    return Array.isArray(list) && list.length > 0 && list.every((c) => typeof c === "string" && c.includes("~")) ? (list as string[]) : undefined;
  }
  const lines = t.split(/\s+/).filter((l) => l.length > 0);
  return lines.length > 0 && lines.every((l) => l.includes("~")) ? lines : undefined;
}

/**
 * Answers with an SD-JWT VC copy when the wallet holds a batch of a requested type (only the requested claims
 * are disclosed, a copy no other verifier saw); `undefined` to fall back to a JWT-VC presentation.
 */
async function sdJwtVcAnswer(wallet: Wallet, request: unknown, yes: boolean, out: { progress(line: string): void }) {
  const types = new Set(((request as { credentialTypes?: unknown }).credentialTypes as string[] | undefined) ?? []);
  const batches = (await listSdJwtVcs({ wallet })).filter((b) => types.has(b.type));
  if (batches.length === 0) return undefined;
  const claims = (((request as { claims?: unknown }).claims as { path: string }[] | undefined) ?? []).map((c) => c.path);
  const domain = String((request as { domain?: unknown }).domain);
  out.progress(`${domain} asks for: ${claims.length === 0 ? "(no personal claims)" : claims.join(", ")} of ${[...types].join(", ")}`);
  out.progress(`  answered with one SD-JWT VC copy of ${batches[0]?.type} from ${batches[0]?.issuer}; nothing else is disclosed`);
  if (!yes) {
    if (!process.stdin.isTTY) throw new MobileIdError("INVALID_ARGUMENT", "consent needed", { hint: "review what is shared above and pass --yes, or run in a terminal" });
    const answer = await ask("share? [y/N] ");
    if (!/^y(es)?$/i.test(answer.trim())) throw new RejectedError("CONSENT_REFUSED", "not shared");
  }
  const r = await presentSdJwtVcCopy({ wallet, request });
  return { presentation: r.presentation, format: "dc+sd-jwt", disclosed: r.disclosed, copiesRemaining: r.remaining };
}

/** A credential verifier for imports: the full verifier against the ledger (cold reads: a short-lived process). */
export function ledgerCredentialVerifier(ctx: Context) {
  const verifier = createVerifier({
    descriptor: ctx.descriptor,
    ledger: new RpcLedgerReader({ rpc: ctx.provider, descriptor: ctx.descriptor }),
    nonceStore: createMemoryNonceStore(),
  });
  return async (jwt: string) => {
    const r = await verifier.verifyCredential({ credential: jwt });
    return { verified: r.verified, code: r.code };
  };
}

export const walletOptions = (c: Command): Command =>
  c
    .option("--wallet <file>", "wallet file (default: $MID_WALLET or <data-dir>/wallet.midw)")
    .option("--passphrase-file <file>", "file holding the passphrase (default: $MID_WALLET_PASSPHRASE or a prompt)");

/** `mid wallet …`: the holder's side, on the holder's own device. */
export function registerWalletCommands(program: Command, run: Runner, runLocal: LocalRunner): void {
  const w = program.command("wallet").description("holder wallet: keys and credentials, encrypted on this device");

  walletOptions(w.command("create").description("create a wallet with a new holder key and DID"))
    .option("--chain-id <id>", "chain id (default: the descriptor's)")
    .action((o: WalletOpts & { chainId?: string }) =>
      runLocal(async (g, out) => {
        let chainId = o.chainId === undefined ? undefined : Number(o.chainId);
        if (chainId === undefined) {
          const path = g.descriptor ?? process.env["MID_DESCRIPTOR"] ?? join(g.dataDir, "network.json");
          try {
            chainId = Number((JSON.parse(readFileSync(path, "utf8")) as { chainId: unknown }).chainId);
          } catch {
            throw new MobileIdError("INVALID_ARGUMENT", "no chain id: pass --chain-id or a network descriptor");
          }
        }
        const passphrase = await passphraseFrom(o.passphraseFile, "new wallet passphrase: ");
        out.progress("deriving the wallet key (scrypt, memory-hard; about a second) ...");
        const wallet = await createWallet({ storage: fileWalletStorage({ path: walletPath(g.dataDir, o) }), passphrase, chainId });
        const result = { did: wallet.did, wallet: walletPath(g.dataDir, o) };
        await lockWallet({ wallet });
        out.result(result, () => `created wallet ${result.wallet}\nDID ${result.did}`);
      }),
    );

  walletOptions(w.command("did").description("print the holder DID")).action((o: WalletOpts) =>
    runLocal(async (g, out) => {
      const info = await withWallet(g.dataDir, o, async (wallet) => ({ did: wallet.did, identity: wallet.identity, signingKey: wallet.signingKeyAddress }));
      out.result(info, () => info.did);
    }),
  );

  walletOptions(
    w
      .command("keys")
      .description("SD-JWT VC: make fresh P-256 holder keys (one per copy) and print their public JWKs for the issuer")
      .option("--count <n>", "how many keys (one per copy)", "10"),
  ).action((o: WalletOpts & { count: string }) =>
    runLocal(async (g, out) => {
      const { keys } = await withWallet(g.dataDir, o, (wallet) => createHolderKeys({ wallet, count: Number(o.count) }));
      out.result(keys, () => JSON.stringify(keys));
    }),
  );

  walletOptions(
    w
      .command("import [credential]")
      .description("verify a credential (VC JWT, or SD-JWT VC copies as a JSON array / one per line: argument, --file or stdin) and keep it"),
  )
    .option("--file <file>", "read the credential from a file")
    .action((arg: string | undefined, o: WalletOpts & { file?: string }) =>
      run(async (ctx, out) => {
        const jwt = await readTextInput(arg, o.file, "credential");
        const copies = sdJwtVcCopiesOf(jwt);
        if (copies !== undefined) {
          const b = await withWallet(ctx.options.dataDir, o, (wallet) => importSdJwtVcCopies({ wallet, copies, verifyCredential: ledgerCredentialVerifier(ctx) }));
          out.result(b, () => `imported ${b.copies} SD-JWT VC copies: ${b.type} from ${b.issuer} (batch ${b.batch.slice(0, 16)}…, ${b.remaining} unused)`);
          return;
        }
        const r = await withWallet(ctx.options.dataDir, o, (wallet) =>
          importCredential({ wallet, jwt, verifyCredential: ledgerCredentialVerifier(ctx) }),
        );
        out.result(r, () => `${r.alreadyPresent ? "already in the wallet" : "imported"}: ${r.credential.type} from ${r.credential.issuer} (id ${r.credential.id.slice(0, 16)}…)`);
      }),
    );

  walletOptions(w.command("list").description("list the credentials in the wallet")).action((o: WalletOpts) =>
    runLocal(async (g, out) => {
      const items = await withWallet(g.dataDir, o, async (wallet) => [
        ...(await listCredentials({ wallet })).map((c) => ({ ...c, format: "jwt-vc" as string })),
        ...(await listSdJwtVcs({ wallet })).map((b) => ({
          format: "dc+sd-jwt",
          id: b.batch,
          type: b.type,
          issuer: b.issuer,
          validUntil: b.validUntil,
          validity: `${b.remaining}/${b.copies} copies left`,
          copiesRemaining: b.remaining,
          copies: b.copies,
          claims: b.claims,
        })),
      ]);
      out.result(items, () =>
        items.length === 0
          ? "(no credentials)"
          : table(
              ["id", "type", "issuer", "valid until", "validity"],
              items.map((c) => [c.id.slice(0, 16), c.type, c.issuer, new Date(c.validUntil * 1000).toISOString().slice(0, 10), String(c.validity)]),
            ),
      );
    }),
  );

  walletOptions(w.command("show <id>").description("show a credential's claims (id or a unique prefix)")).action((id: string, o: WalletOpts) =>
    runLocal(async (g, out) => {
      const c = await withWallet(g.dataDir, o, async (wallet) => showCredential({ wallet, id: await resolveId(wallet, id) }));
      out.result(c, () => JSON.stringify(c, null, 2));
    }),
  );

  walletOptions(w.command("remove <id>").description("remove a credential from the wallet")).action((id: string, o: WalletOpts) =>
    runLocal(async (g, out) => {
      await withWallet(g.dataDir, o, async (wallet) => removeCredential({ wallet, id: await resolveId(wallet, id) }));
      out.result({ removed: id }, () => `removed ${id}`);
    }),
  );

  walletOptions(
    w
      .command("present [request]")
      .description("answer a verifier's presentation request (JSON: argument, --file or stdin) with a self-signed VP")
      .option("--file <file>", "read the request from a file")
      .option("--yes", "consent without asking (shares exactly what is listed)", false),
  ).action((arg: string | undefined, o: WalletOpts & { file?: string; yes: boolean }) =>
    runLocal(async (g, out) => {
      const text = await readTextInput(arg, o.file, "presentation request");
      let request: unknown;
      try {
        request = JSON.parse(text);
      } catch {
        throw new MobileIdError("REQUEST_INVALID", "the presentation request is not JSON");
      }
      return withWallet(g.dataDir, o, async (wallet) => {
        const sd = await sdJwtVcAnswer(wallet, request, o.yes, out);
        if (sd !== undefined) {
          out.result(sd, () => sd.presentation);
          return undefined;
        }
        const prepared = await preparePresentation({ wallet, request });
        const chosen = prepared.defaultSelection;
        if (chosen.length === 0) {
          throw new RejectedError("NO_MATCHING_CREDENTIAL", "no credential in the wallet matches the request", {
            details: { requested: prepared.request.credentialTypes, missing: prepared.missingTypes },
          });
        }
        const shared = prepared.items.flatMap((item) => item.candidates.filter((c) => chosen.includes(c.id)).map((c) => ({ type: item.type, issuer: c.issuer, claims: c.claims })));
        out.progress(`${prepared.domain} asks for: ${prepared.request.credentialTypes.join(", ")}. This would share:`);
        for (const s of shared) out.progress(`  ${s.type} from ${s.issuer}: ${Object.keys(s.claims).join(", ")}`);
        if (!o.yes) {
          if (!process.stdin.isTTY) {
            throw new MobileIdError("INVALID_ARGUMENT", "consent needed", { hint: "review what is shared above and pass --yes, or run in a terminal" });
          }
          const answer = await ask("share? [y/N] ");
          if (!/^y(es)?$/i.test(answer.trim())) throw new RejectedError("CONSENT_REFUSED", "not shared");
        }
        const vp = await createPresentation({ wallet, request, credentialIds: chosen });
        out.result({ presentation: vp.jwt, shared, expiresAt: vp.expiresAt }, () => vp.jwt);
        return undefined;
      });
    }),
  );

  const backup = w.command("backup").description("encrypted backups that refuse silent rollback");
  walletOptions(backup.command("export <file>").description("write an encrypted backup"))
    .option("--backup-passphrase-file <file>", "passphrase for the backup (default: the wallet's)")
    .action((file: string, o: WalletOpts & { backupPassphraseFile?: string }) =>
      runLocal(async (g, out) => {
        const bytes = await withWallet(g.dataDir, o, async (wallet) =>
          exportBackup({ wallet, passphrase: o.backupPassphraseFile === undefined ? await passphraseFrom(o.passphraseFile) : await passphraseFrom(o.backupPassphraseFile) }),
        );
        writeFileSync(file, bytes, { mode: 0o600 });
        out.result({ backup: file, bytes: bytes.length }, () => `wrote backup ${file}`);
      }),
    );
  walletOptions(backup.command("import <file>").description("restore a backup into this wallet"))
    .option("--backup-passphrase-file <file>", "passphrase of the backup (default: the wallet's)")
    .option("--allow-rollback", "accept a backup older than the wallet (explicit)", false)
    .action((file: string, o: WalletOpts & { backupPassphraseFile?: string; allowRollback: boolean }) =>
      runLocal(async (g, out) => {
        const r = await withWallet(g.dataDir, o, async (wallet) =>
          importBackup({
            wallet,
            backup: new Uint8Array(readFileSync(file)),
            passphrase: o.backupPassphraseFile === undefined ? await passphraseFrom(o.passphraseFile) : await passphraseFrom(o.backupPassphraseFile),
            allowRollback: o.allowRollback,
          }),
        );
        out.result(r, () => `restored backup generation ${r.backupGeneration} (wallet now at ${r.generation})`);
      }),
    );

  walletOptions(w.command("rotate-key").description("rotate the holder key (ERC-1056 owner change); the DID and credentials stay")).action((o: WalletOpts) =>
    run(async (ctx, out) => {
      const r = await withWallet(ctx.options.dataDir, o, (wallet) =>
        rotateKey({ wallet, provider: ctx.provider, didRegistry: ctx.descriptor.contracts.didRegistry.address }),
      );
      out.result(r, () => `rotated: new signing key ${r.newKeyAddress}`);
    }),
  );

  walletOptions(
    w.command("recover-key").description("give the ledger again key rotations it lost (a node restarted from an older state); no key needed"),
  ).action((o: WalletOpts) =>
    run(async (ctx, out) => {
      const r = await withWallet(ctx.options.dataDir, o, (wallet) =>
        recoverKeyRotation({ wallet, provider: ctx.provider, didRegistry: ctx.descriptor.contracts.didRegistry.address }),
      );
      out.result(r, () => (r.rebroadcast.length === 0 ? `the ledger names this wallet's key (${r.owner}): nothing to do` : `replayed ${r.rebroadcast.length} lost key rotation(s); owner ${r.owner}`));
    }),
  );

  registerWalletProtocolCommands(w, run, runLocal);
}

async function resolveId(wallet: Wallet, prefix: string): Promise<string> {
  const matches = (await listCredentials({ wallet })).filter((c) => c.id.startsWith(prefix.toLowerCase()));
  if (matches.length === 1 && matches[0] !== undefined) return matches[0].id;
  throw new MobileIdError(matches.length === 0 ? "WALLET_CREDENTIAL_NOT_FOUND" : "INVALID_ARGUMENT", matches.length === 0 ? `no credential ${prefix}` : `${prefix} is ambiguous`);
}
