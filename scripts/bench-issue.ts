/**
 * `pnpm bench:issue`: issuance throughput of @mobile-id/issuer (VCs/s, p50/p95), written to
 * bench-results/issue.json. What is measured and how is documented in the benchmark itself,
 * packages/issuer/src/bench/issueBenchmark.ts.
 *
 * Why a launcher: the root package does not list @mobile-id/issuer among its dependencies, so a script here
 * cannot import it by name (and a script must not reach into another package's files). The benchmark lives
 * in the issuer package and runs as its own process, from the repository root (for Hardhat's configuration
 * and for bench-results/). Once the root package depends on @mobile-id/issuer, the body can move here.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const benchmark = fileURLToPath(new URL("../packages/issuer/src/bench/issueBenchmark.ts", import.meta.url));

const child = spawn(process.execPath, [benchmark, ...process.argv.slice(2)], { cwd: repoRoot, stdio: "inherit" });
const code = await new Promise<number>((resolve) => child.on("exit", (c, signal) => resolve(c ?? (signal === null ? 1 : 128))));
process.exitCode = code;
