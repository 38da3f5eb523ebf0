// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title The part of ERC-1056 (EthereumDIDRegistry) that the trust registries rely on.
/// @notice A `did:ethr` identity is an address; the key allowed to act for it is its current owner,
/// which the identity can change at any time (key rotation). The trust registries therefore never
/// compare `msg.sender` with an identity directly: they ask the DID registry who owns it now.
interface IIdentityRegistry {
    /// @notice The key that currently controls `identity` (the identity itself until it is changed).
    function identityOwner(address identity) external view returns (address);
}
