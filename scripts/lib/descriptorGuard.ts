/**
 * The network descriptor (`network.json`) is the only record of which contracts are the network. Without it,
 * `deployToFile` would deploy a second network beside the first (new addresses: they follow the deployer's
 * nonce) and every issuer, wallet and credential would silently point at the old one. So a missing descriptor
 * is accepted only on a ledger where the root has never sent a transaction.
 */
import { existsSync } from "node:fs";
import type { Signer } from "ethers";
import { MobileIdError } from "@mobile-id/core";
import { DataFileErrorCode } from "@mobile-id/core/data-files";

export async function refuseSecondNetwork(params: {
  readonly descriptorPath: string;
  readonly root: Signer;
  readonly ledgerDir: string | undefined;
}): Promise<void> {
  const { descriptorPath } = params;
  if (existsSync(descriptorPath) || existsSync(`${descriptorPath}.partial.json`)) return;
  const provider = params.root.provider;
  if (provider == null) return;
  const root = await params.root.getAddress();
  const sent = await provider.getTransactionCount(root, "latest");
  if (sent === 0) return;
  throw new MobileIdError(DataFileErrorCode.DATA_FILE_MISSING, `the network descriptor ${descriptorPath} is missing, but the ledger already holds a network`, {
    details: { path: descriptorPath, root, rootTransactions: sent },
    hint:
      `restore ${descriptorPath} from a backup (or save GET /network of a running instance of this network to it); ` +
      (params.ledgerDir === undefined
        ? "starting over needs a fresh ledger"
        : `to start over with a new network, remove ${params.ledgerDir} and the other state in the data directory as well`),
  });
}
