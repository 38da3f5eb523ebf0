// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";

/// @title IdentityOwner
/// @notice `registry.identityOwner(identity)` without the ABI encoder's memory traffic. Every authorized call of
/// the trust registries goes through it, so the few hundred gas it saves are on every governance write.
library IdentityOwner {
    /// @dev `bytes4(keccak256("identityOwner(address)"))`.
    bytes4 private constant _SELECTOR = 0x8733d4e8;

    /// @notice The current owner key of `identity` in the ERC-1056 `registry`. Reverts (without data) if the
    /// registry does not answer with a word, which only a misconfigured deployment can cause.
    function ownerOf(IIdentityRegistry registry, address identity) internal view returns (address owner) {
        bytes4 selector = _SELECTOR;
        assembly ("memory-safe") {
            // Scratch space 0x00-0x3f holds the 36-byte call and then the 32-byte answer.
            mstore(0x00, selector)
            mstore(0x04, and(identity, 0xffffffffffffffffffffffffffffffffffffffff))
            if iszero(and(gt(returndatasize(), 0x1f), staticcall(gas(), registry, 0x00, 0x24, 0x00, 0x20))) {
                revert(0x00, 0x00)
            }
            owner := and(mload(0x00), 0xffffffffffffffffffffffffffffffffffffffff)
        }
    }
}
