// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IRootGovernance} from "../interfaces/IRootGovernance.sol";
import {IdentityOwner} from "../libraries/IdentityOwner.sol";

/// @title RootGovernance
/// @notice The root identity and its two-step, delayed hand-over (the pattern of OpenZeppelin's
/// `AccessControlDefaultAdminRules`, keyed by `did:ethr` identity instead of by sending key).
/// @dev The root acts through whatever key ERC-1056 names as its owner. Changing that key is ERC-1056's own
/// one-step `changeOwner`; for a production root, the owner should therefore be a multisig contract, so that
/// the one-step rotation itself needs several keys. The hand-over of the *root identity* is what this
/// contract makes slow and cancellable.
abstract contract RootGovernance is IRootGovernance {
    using IdentityOwner for IIdentityRegistry;

    /// @notice Shortest and longest accepted hand-over delays.
    uint48 public constant MIN_ROOT_TRANSFER_DELAY = 1 hours;
    uint48 public constant MAX_ROOT_TRANSFER_DELAY = 30 days;

    IIdentityRegistry private immutable _identityRegistry;
    uint48 private immutable _rootTransferDelay;

    address private _root;
    address private _pendingRoot;
    uint48 private _pendingSchedule;

    constructor(IIdentityRegistry identityRegistry_, address root_, uint48 rootTransferDelay_) {
        if (address(identityRegistry_) == address(0) || root_ == address(0)) revert RootGovernanceZeroAddress();
        if (rootTransferDelay_ < MIN_ROOT_TRANSFER_DELAY || rootTransferDelay_ > MAX_ROOT_TRANSFER_DELAY) {
            revert RootGovernanceInvalidDelay(rootTransferDelay_, MIN_ROOT_TRANSFER_DELAY, MAX_ROOT_TRANSFER_DELAY);
        }
        _identityRegistry = identityRegistry_;
        _rootTransferDelay = rootTransferDelay_;
        _root = root_;
        emit RootTransferred(address(0), root_);
    }

    /// @inheritdoc IRootGovernance
    function root() public view returns (address) {
        return _root;
    }

    /// @inheritdoc IRootGovernance
    function identityRegistry() public view returns (IIdentityRegistry) {
        return _identityRegistry;
    }

    /// @inheritdoc IRootGovernance
    function rootTransferDelay() external view returns (uint48) {
        return _rootTransferDelay;
    }

    /// @inheritdoc IRootGovernance
    function pendingRoot() external view returns (address newRoot, uint48 acceptSchedule) {
        return (_pendingRoot, _pendingSchedule);
    }

    /// @inheritdoc IRootGovernance
    function beginRootTransfer(address newRoot) external {
        address currentRoot = _checkRoot();
        if (newRoot == address(0)) revert RootGovernanceZeroAddress();
        _beforeRootTransfer(newRoot);
        uint48 schedule = uint48(block.timestamp) + _rootTransferDelay;
        _pendingRoot = newRoot;
        _pendingSchedule = schedule;
        emit RootTransferStarted(currentRoot, newRoot, schedule);
    }

    /// @inheritdoc IRootGovernance
    function cancelRootTransfer() external {
        address currentRoot = _checkRoot();
        address pending = _pendingRoot;
        delete _pendingRoot;
        delete _pendingSchedule;
        emit RootTransferCanceled(currentRoot, pending);
    }

    /// @inheritdoc IRootGovernance
    function acceptRootTransfer() external {
        address pending = _pendingRoot;
        uint48 schedule = _pendingSchedule;
        if (schedule == 0 || block.timestamp < schedule) {
            revert RootGovernanceTransferNotReady(pending, schedule, uint48(block.timestamp));
        }
        if (_identityRegistry.ownerOf(pending) != msg.sender) {
            revert RootGovernanceNotPendingRoot(msg.sender, pending);
        }
        // Re-check: the proposed identity may have been registered in another role during the delay.
        _beforeRootTransfer(pending);
        address previous = _root;
        _root = pending;
        delete _pendingRoot;
        delete _pendingSchedule;
        _afterRootTransfer(previous, pending);
        emit RootTransferred(previous, pending);
    }

    /// @dev Reverts unless the caller is the root identity's current owner key; returns the root identity.
    function _checkRoot() internal view returns (address currentRoot) {
        currentRoot = _root;
        if (_identityRegistry.ownerOf(currentRoot) != msg.sender) {
            revert RootGovernanceUnauthorized(msg.sender, currentRoot);
        }
    }

    /// @dev Hook for the registry to refuse a proposed root (e.g. one already registered in another role).
    function _beforeRootTransfer(address newRoot) internal view virtual;

    /// @dev Hook for the registry to record the new root as a party.
    function _afterRootTransfer(address previousRoot, address newRoot) internal virtual;
}
