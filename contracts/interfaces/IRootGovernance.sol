// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IIdentityRegistry} from "./IIdentityRegistry.sol";

/// @title Governance root with a two-step, delayed hand-over.
/// @notice The root (e.g. the Ministry of the Interior and Safety) is a `did:ethr` identity. Its authority
/// moves to another identity only in two steps: the current root proposes, and after `rootTransferDelay`
/// the proposed identity accepts. Until the new root accepts, the current root can cancel. One stolen key
/// or one mistyped address therefore cannot hand the network away without a public, cancellable delay.
interface IRootGovernance {
    /// @notice `caller` is not the current owner key of the root identity `root`.
    error RootGovernanceUnauthorized(address caller, address root);
    /// @notice The zero address was given where an identity is required.
    error RootGovernanceZeroAddress();
    /// @notice A hand-over was accepted before `schedule`, or none is pending (`schedule` is 0).
    error RootGovernanceTransferNotReady(address pendingRoot, uint48 schedule, uint48 nowTime);
    /// @notice `caller` is not the current owner key of the pending root `pendingRoot`.
    error RootGovernanceNotPendingRoot(address caller, address pendingRoot);
    /// @notice The delay given at deployment is outside the accepted bounds.
    error RootGovernanceInvalidDelay(uint48 delay, uint48 minDelay, uint48 maxDelay);

    /// @notice A hand-over of the root to `newRoot` was proposed; it can be accepted at `acceptSchedule`.
    event RootTransferStarted(address indexed currentRoot, address indexed newRoot, uint48 acceptSchedule);
    /// @notice A pending hand-over to `pendingRoot` was cancelled by the current root.
    event RootTransferCanceled(address indexed currentRoot, address indexed pendingRoot);
    /// @notice The root authority moved from `previousRoot` to `newRoot`.
    event RootTransferred(address indexed previousRoot, address indexed newRoot);

    /// @notice The current root identity.
    function root() external view returns (address);

    /// @notice The ERC-1056 registry that says which key acts for each identity.
    function identityRegistry() external view returns (IIdentityRegistry);

    /// @notice Seconds between proposing a new root and the earliest moment it can accept.
    function rootTransferDelay() external view returns (uint48);

    /// @notice The proposed root and the earliest time it may accept (both zero when none is pending).
    function pendingRoot() external view returns (address newRoot, uint48 acceptSchedule);

    /// @notice Proposes `newRoot`; replaces any pending proposal. Only the root's owner key.
    function beginRootTransfer(address newRoot) external;

    /// @notice Cancels the pending proposal. Only the root's owner key.
    function cancelRootTransfer() external;

    /// @notice Completes the hand-over. Only the pending root's owner key, once the delay has passed, and only if
    /// the pending identity has not been registered in another role meanwhile.
    function acceptRootTransfer() external;
}
