import { createRequire } from "node:module";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import { defineConfig } from "hardhat/config";

// Hardhat downloads solc by default; this machine kind has no route to the compiler mirror.
// The npm `solc` package ships the same compiler as WebAssembly, pinned in package.json.
const require = createRequire(import.meta.url);
const SOLC_VERSION = "0.8.28";
const solcPath = require.resolve("solc/soljson.js");

const compiler = {
  version: SOLC_VERSION,
  path: solcPath,
  settings: {
    evmVersion: "cancun",
    optimizer: { enabled: true, runs: 10_000 },
    // Deterministic bytecode: the metadata hash would change with file paths.
    metadata: { bytecodeHash: "none" as const },
  },
};

export default defineConfig({
  plugins: [hardhatEthers],
  solidity: {
    profiles: {
      default: compiler,
      production: compiler,
    },
    // ERC-1056 lives only in an npm package; Hardhat needs a local artifact for it.
    npmFilesToBuild: [],
  },
  paths: {
    tests: { solidity: "test/contracts" },
  },
  test: {
    solidity: {
      // A fixed seed keeps CI reproducible; change it (or run with another) to explore new inputs.
      fuzz: { runs: 256, seed: "0x6d6f62696c652d6964" },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
  },
});
