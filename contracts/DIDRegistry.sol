// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EthereumDIDRegistry} from "erc1056/EthereumDIDRegistry.sol";

/// @title DIDRegistry
/// @notice The ERC-1056 `EthereumDIDRegistry` from `ethr-did-registry`, deployed unchanged, so that stock
/// `did:ethr` tooling (ethr-did-resolver) resolves DIDs on this network. It exists only because Hardhat writes
/// no artifact for a contract that lives solely in an npm package.
/// @dev ERC-1056's `*Signed` functions hash no chain id: a signed DID operation can be replayed on another
/// chain that hosts the same registry. mobile-id's software never uses the `*Signed` functions.
contract DIDRegistry is EthereumDIDRegistry {}
