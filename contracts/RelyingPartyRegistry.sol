// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccreditationRegistry} from "./interfaces/IAccreditationRegistry.sol";
import {CredentialTypeId} from "./interfaces/ICredentialTypeRegistry.sol";
import {IIdentityRegistry} from "./interfaces/IIdentityRegistry.sol";
import {IRelyingPartyRegistry} from "./interfaces/IRelyingPartyRegistry.sol";
import {IRootGovernance} from "./interfaces/IRootGovernance.sol";
import {IdentityOwner} from "./libraries/IdentityOwner.sol";
import {PackedAccreditation, PackedAccreditationLib} from "./libraries/PackedAccreditation.sol";
import {PackedClaimPermission, PackedClaimPermissionLib} from "./libraries/PackedClaimPermission.sol";

/// @title RelyingPartyRegistry
/// @notice Which relying parties (verifiers) are registered, since when, and which claims of which credential
/// types each may ask for. Governed by the accreditation registry's root and accreditors: this contract keeps
/// no list of its own of who governs. The registrar (the accreditor that registered a party) and the root
/// govern its standing; the claims of each credential type are granted by the accreditor in force for that type.
/// @dev A separate contract rather than a module of `AccreditationRegistry`: that one is at 16 KB of the 24 KB
/// limit, and relying-party registration is never on the path of an issuer grant, so the cross-contract reads
/// (a few thousand gas) fall on rare governance writes only. The standing word has the layout of
/// `PackedAccreditation` (grantor = the registrar's party id in the accreditation registry), so history and
/// point-in-time reads work exactly as for issuers.
contract RelyingPartyRegistry is IRelyingPartyRegistry {
    using PackedAccreditationLib for PackedAccreditation;
    using PackedClaimPermissionLib for PackedClaimPermission;
    using IdentityOwner for IIdentityRegistry;

    /// @notice Most credential types in one `registerRelyingParty` call.
    uint256 public constant MAX_TYPES_PER_CALL = 8;
    /// @notice Most claim identifiers per credential type (fits the 8-bit count of the packed word).
    uint256 public constant MAX_CLAIMS_PER_TYPE = 32;
    /// @notice Longest display name and purpose, in bytes (UTF-8).
    uint256 public constant MAX_NAME_LENGTH = 128;
    uint256 public constant MAX_PURPOSE_LENGTH = 256;

    uint8 private constant _STORED_ACTIVE = 1;
    uint8 private constant _STORED_SUSPENDED = 2;
    uint8 private constant _STORED_REVOKED = 3;

    IAccreditationRegistry private immutable _registry;
    IIdentityRegistry private immutable _identityRegistry;

    mapping(address relyingParty => PackedAccreditation) private _records;
    mapping(address relyingParty => mapping(uint256 index => PackedAccreditation)) private _history;
    mapping(address relyingParty => string) private _names;
    mapping(address relyingParty => string) private _purposes;
    mapping(address relyingParty => mapping(CredentialTypeId credentialType => PackedClaimPermission)) private _claims;
    mapping(
        address relyingParty
            => mapping(CredentialTypeId credentialType => mapping(uint256 index => PackedClaimPermission))
    ) private _claimsHistory;

    /// @param accreditationRegistry_ the registry whose root and accreditors govern relying parties; the ERC-1056
    /// registry is taken from it, so both contracts always agree on who holds which key.
    constructor(IAccreditationRegistry accreditationRegistry_) {
        if (address(accreditationRegistry_) == address(0)) revert RelyingPartyRegistryZeroAddress();
        _registry = accreditationRegistry_;
        _identityRegistry = IRootGovernance(address(accreditationRegistry_)).identityRegistry();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writes
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRelyingPartyRegistry
    function registerRelyingParty(
        address accreditor,
        address relyingParty_,
        Registration calldata registration,
        CredentialTypeId[] calldata credentialTypes,
        bytes32[][] calldata claims
    ) external {
        _checkActor(accreditor);
        if (relyingParty_ == address(0)) revert RelyingPartyRegistryZeroAddress();
        uint32 accreditorId = _accreditorId(accreditor);
        _checkRegistration(registration);
        if (!_records[relyingParty_].isEmpty()) revert RelyingPartyRegistryDuplicate(relyingParty_);
        uint256 count = credentialTypes.length;
        if (count == 0 || count > MAX_TYPES_PER_CALL || claims.length != count) {
            revert RelyingPartyRegistryBadTypeCount(count, claims.length, MAX_TYPES_PER_CALL);
        }
        uint40 validFrom = registration.validFrom;
        uint40 validUntil = registration.validUntil;
        uint32 reason = registration.reason;
        // Same layout as PackedAccreditationLib.pack, written out: status Active, changedBy = registrar, 0 changes.
        _records[relyingParty_] = PackedAccreditation.wrap(
            uint256(_STORED_ACTIVE) | (uint256(validFrom) << 8) | (uint256(validUntil) << 48)
                | (uint256(uint40(block.timestamp)) << 88) | (uint256(accreditorId) << 128)
                | (uint256(accreditorId) << 160) | (uint256(reason) << 192)
        );
        _names[relyingParty_] = registration.name;
        _purposes[relyingParty_] = registration.purpose;
        emit RelyingPartyRegistered(relyingParty_, accreditor, registration.name, registration.purpose);
        emit RelyingPartyChanged(
            relyingParty_, accreditor, IAccreditationRegistry.Status.Active, validFrom, validUntil, reason
        );
        for (uint256 i = 0; i < count; ++i) {
            if (claims[i].length == 0) {
                revert RelyingPartyRegistryBadClaimCount(credentialTypes[i], 0, MAX_CLAIMS_PER_TYPE);
            }
            _setClaims(accreditor, accreditorId, relyingParty_, credentialTypes[i], claims[i]);
        }
    }

    /// @inheritdoc IRelyingPartyRegistry
    function setClaims(
        address accreditor,
        address relyingParty_,
        CredentialTypeId credentialType,
        bytes32[] calldata claims
    ) external {
        _checkActor(accreditor);
        PackedAccreditation packed = _records[relyingParty_];
        if (packed.isEmpty()) revert RelyingPartyRegistryUnknown(relyingParty_);
        if (packed.status() == _STORED_REVOKED) {
            revert RelyingPartyRegistryInvalidTransition(
                relyingParty_, IAccreditationRegistry.Status.Revoked, IAccreditationRegistry.Status.Active
            );
        }
        // Any accreditor in force for the type may grant or withdraw its claims (a bank registered by one
        // ministry may ask for claims of another ministry's type); standing stays with the registrar and the root.
        _setClaims(accreditor, _accreditorId(accreditor), relyingParty_, credentialType, claims);
    }

    /// @inheritdoc IRelyingPartyRegistry
    function suspend(address actor, address relyingParty_, uint32 reason) external {
        (PackedAccreditationLib.Fields memory f, uint32 actorId) = _authority(actor, relyingParty_);
        if (f.status != _STORED_ACTIVE) {
            revert RelyingPartyRegistryInvalidTransition(
                relyingParty_, IAccreditationRegistry.Status(f.status), IAccreditationRegistry.Status.Suspended
            );
        }
        _change(relyingParty_, f, _STORED_SUSPENDED, f.validUntil, actorId, reason, actor);
    }

    /// @inheritdoc IRelyingPartyRegistry
    function reinstate(address actor, address relyingParty_, uint32 reason) external {
        (PackedAccreditationLib.Fields memory f, uint32 actorId) = _authority(actor, relyingParty_);
        if (f.status != _STORED_SUSPENDED) {
            revert RelyingPartyRegistryInvalidTransition(
                relyingParty_, IAccreditationRegistry.Status(f.status), IAccreditationRegistry.Status.Active
            );
        }
        _change(relyingParty_, f, _STORED_ACTIVE, f.validUntil, actorId, reason, actor);
    }

    /// @inheritdoc IRelyingPartyRegistry
    function revoke(address actor, address relyingParty_, uint32 reason) external {
        (PackedAccreditationLib.Fields memory f, uint32 actorId) = _authority(actor, relyingParty_);
        if (f.status != _STORED_ACTIVE && f.status != _STORED_SUSPENDED) {
            revert RelyingPartyRegistryInvalidTransition(
                relyingParty_, IAccreditationRegistry.Status(f.status), IAccreditationRegistry.Status.Revoked
            );
        }
        _change(relyingParty_, f, _STORED_REVOKED, f.validUntil, actorId, reason, actor);
    }

    /// @inheritdoc IRelyingPartyRegistry
    function renew(address actor, address relyingParty_, uint40 validUntil, uint32 reason) external {
        (PackedAccreditationLib.Fields memory f, uint32 actorId) = _authority(actor, relyingParty_);
        if (f.status != _STORED_ACTIVE && f.status != _STORED_SUSPENDED) {
            revert RelyingPartyRegistryInvalidTransition(
                relyingParty_, IAccreditationRegistry.Status(f.status), IAccreditationRegistry.Status.Active
            );
        }
        if (validUntil <= f.validUntil || validUntil <= block.timestamp) {
            revert RelyingPartyRegistryInvalidWindow(f.validFrom, validUntil, uint40(block.timestamp));
        }
        _change(relyingParty_, f, f.status, validUntil, actorId, reason, actor);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRelyingPartyRegistry
    function accreditationRegistry() external view returns (IAccreditationRegistry) {
        return _registry;
    }

    /// @inheritdoc IRelyingPartyRegistry
    function relyingParty(address relyingParty_) external view returns (RelyingParty memory p) {
        PackedAccreditationLib.Fields memory f = _records[relyingParty_].unpack();
        p.identity = relyingParty_;
        p.status = IAccreditationRegistry.Status(f.status);
        if (f.status == 0) return p;
        p.registrar = _registry.partyIdentity(f.grantor);
        // The registration is the first record: no slot of its own is needed for its time.
        p.registeredAt = f.changes == 0 ? f.since : _history[relyingParty_][0].since();
        p.validFrom = f.validFrom;
        p.validUntil = f.validUntil;
        p.since = f.since;
        p.changedBy = _registry.partyIdentity(f.changedBy);
        p.reason = f.reason;
        p.changes = f.changes;
        p.name = _names[relyingParty_];
        p.purpose = _purposes[relyingParty_];
    }

    /// @inheritdoc IRelyingPartyRegistry
    function relyingPartyHistory(address relyingParty_, uint256 index)
        external
        view
        returns (
            IAccreditationRegistry.Status status,
            uint40 validFrom,
            uint40 validUntil,
            uint40 since,
            address changedBy,
            uint32 reason
        )
    {
        uint256 length = _records[relyingParty_].changes();
        if (index >= length) revert RelyingPartyRegistryHistoryOutOfRange(index, length);
        PackedAccreditationLib.Fields memory f = _history[relyingParty_][index].unpack();
        return (
            IAccreditationRegistry.Status(f.status),
            f.validFrom,
            f.validUntil,
            f.since,
            _registry.partyIdentity(f.changedBy),
            f.reason
        );
    }

    /// @inheritdoc IRelyingPartyRegistry
    function standingAt(address relyingParty_, uint40 at) external view returns (RelyingPartyStanding memory s) {
        PackedAccreditationLib.Fields memory f = _recordAt(relyingParty_, at);
        s.final_ = at < block.timestamp;
        if (f.status == 0) return s;
        if (f.status == _STORED_ACTIVE) {
            if (at < f.validFrom) s.status = IAccreditationRegistry.Status.Pending;
            else if (at >= f.validUntil) s.status = IAccreditationRegistry.Status.Expired;
            else s.status = IAccreditationRegistry.Status.Active;
        } else {
            s.status = IAccreditationRegistry.Status(f.status);
        }
        s.inForce = s.status == IAccreditationRegistry.Status.Active;
        s.validFrom = f.validFrom;
        s.validUntil = f.validUntil;
        s.since = f.since;
        s.registrar = _registry.partyIdentity(f.grantor);
        s.reason = f.reason;
    }

    /// @inheritdoc IRelyingPartyRegistry
    function claimsAt(address relyingParty_, CredentialTypeId credentialType, uint40 at)
        external
        view
        returns (ClaimPermission memory)
    {
        PackedClaimPermission current = _claims[relyingParty_][credentialType];
        if (current.isEmpty() || at >= current.since()) return _toPermission(current, credentialType, at);
        mapping(uint256 => PackedClaimPermission) storage history = _claimsHistory[relyingParty_][credentialType];
        uint256 low = 0;
        uint256 high = current.changes();
        // Invariant: entries below `low` took effect at or before `at`; entries at or above `high` after it.
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (history[mid].since() <= at) low = mid + 1;
            else high = mid;
        }
        if (low == 0) return _toPermission(PackedClaimPermission.wrap(0), credentialType, at);
        return _toPermission(history[low - 1], credentialType, at);
    }

    /// @inheritdoc IRelyingPartyRegistry
    function claimsHistory(address relyingParty_, CredentialTypeId credentialType, uint256 index)
        external
        view
        returns (ClaimPermission memory)
    {
        uint256 length = _claims[relyingParty_][credentialType].changes();
        if (index >= length) revert RelyingPartyRegistryHistoryOutOfRange(index, length);
        PackedClaimPermission entry = _claimsHistory[relyingParty_][credentialType][index];
        return _toPermission(entry, credentialType, entry.since());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Reverts unless the caller is the current ERC-1056 owner key of `actor`.
    function _checkActor(address actor) private view {
        if (_identityRegistry.ownerOf(actor) != msg.sender) {
            revert RelyingPartyRegistryUnauthorized(msg.sender, actor);
        }
    }

    /// @dev The party id of `identity` in the accreditation registry; reverts unless it is an accreditor.
    function _accreditorId(address identity) private view returns (uint32) {
        IAccreditationRegistry.Party memory p = _registry.party(identity);
        if (p.role != IAccreditationRegistry.Role.Accreditor) revert RelyingPartyRegistryNotAccreditor(identity);
        return p.id;
    }

    function _checkRegistration(Registration calldata r) private view {
        uint256 nameLength = bytes(r.name).length;
        if (nameLength == 0 || nameLength > MAX_NAME_LENGTH) {
            revert RelyingPartyRegistryInvalidName(nameLength, MAX_NAME_LENGTH);
        }
        uint256 purposeLength = bytes(r.purpose).length;
        if (purposeLength == 0 || purposeLength > MAX_PURPOSE_LENGTH) {
            revert RelyingPartyRegistryInvalidPurpose(purposeLength, MAX_PURPOSE_LENGTH);
        }
        if (r.validFrom >= r.validUntil || r.validUntil <= block.timestamp) {
            revert RelyingPartyRegistryInvalidWindow(r.validFrom, r.validUntil, uint40(block.timestamp));
        }
        if (r.reason == 0) revert RelyingPartyRegistryMissingReason();
    }

    /// @dev Checks that the caller acts for `actor`, that the party is registered, and that `actor` is its
    /// registrar or the current root. The registrar path costs one cross-contract read; the root path two more.
    function _authority(address actor, address relyingParty_)
        private
        view
        returns (PackedAccreditationLib.Fields memory f, uint32 actorId)
    {
        _checkActor(actor);
        PackedAccreditation packed = _records[relyingParty_];
        if (packed.isEmpty()) revert RelyingPartyRegistryUnknown(relyingParty_);
        f = packed.unpack();
        if (_registry.partyIdentity(f.grantor) == actor) return (f, f.grantor);
        if (actor == IRootGovernance(address(_registry)).root()) return (f, _registry.party(actor).id);
        revert RelyingPartyRegistryNotAuthority(actor, relyingParty_);
    }

    /// @dev Validates the claim list (canonical: non-zero, strictly ascending, so a set has one digest) and the
    /// accreditor's scope, appends the previous permission to history and stores the new one.
    function _setClaims(
        address accreditor,
        uint32 accreditorId,
        address relyingParty_,
        CredentialTypeId credentialType,
        bytes32[] calldata claims
    ) private {
        if (!_registry.standingAt(accreditor, credentialType, uint40(block.timestamp)).inForce) {
            revert RelyingPartyRegistryOutOfScope(accreditor, credentialType);
        }
        uint256 count = claims.length;
        if (count > MAX_CLAIMS_PER_TYPE) {
            revert RelyingPartyRegistryBadClaimCount(credentialType, count, MAX_CLAIMS_PER_TYPE);
        }
        uint256 previous = 0;
        for (uint256 j = 0; j < count; ++j) {
            uint256 claim = uint256(claims[j]);
            if (claim <= previous) revert RelyingPartyRegistryClaimsNotCanonical(credentialType, j);
            previous = claim;
        }
        bytes20 claimsDigest = PackedClaimPermissionLib.digest(claims);
        mapping(CredentialTypeId => PackedClaimPermission) storage permissions = _claims[relyingParty_];
        PackedClaimPermission current = permissions[credentialType];
        uint16 changes = 0;
        if (!current.isEmpty()) {
            changes = current.changes();
            _claimsHistory[relyingParty_][credentialType][changes] = current;
            // Checked: a 65,536th change of one party's claims for one type reverts rather than wraps.
            changes += 1;
        }
        permissions[credentialType] = PackedClaimPermissionLib.pack(
            PackedClaimPermissionLib.Fields({
                digest: claimsDigest,
                since: uint40(block.timestamp),
                setBy: accreditorId,
                // count <= MAX_CLAIMS_PER_TYPE (32) was checked above.
                count: uint8(count),
                changes: changes
            })
        );
        emit RelyingPartyClaimsSet(relyingParty_, credentialType, accreditor, claimsDigest, claims);
    }

    function _change(
        address relyingParty_,
        PackedAccreditationLib.Fields memory f,
        uint8 newStatus,
        uint40 newValidUntil,
        uint32 actorId,
        uint32 reason,
        address actor
    ) private {
        if (reason == 0) revert RelyingPartyRegistryMissingReason();
        _history[relyingParty_][f.changes] = PackedAccreditationLib.pack(f);
        f.status = newStatus;
        f.validUntil = newValidUntil;
        f.since = uint40(block.timestamp);
        f.changedBy = actorId;
        f.reason = reason;
        // Checked: a uint32 of changes cannot be exhausted by governance; it would revert rather than wrap.
        f.changes += 1;
        _records[relyingParty_] = PackedAccreditationLib.pack(f);
        emit RelyingPartyChanged(
            relyingParty_, actor, IAccreditationRegistry.Status(newStatus), f.validFrom, newValidUntil, reason
        );
    }

    /// @dev The stored record in effect at `at` (binary search over the time-ordered history).
    function _recordAt(address relyingParty_, uint40 at) private view returns (PackedAccreditationLib.Fields memory) {
        PackedAccreditation current = _records[relyingParty_];
        if (current.isEmpty() || at >= current.since()) return current.unpack();
        mapping(uint256 => PackedAccreditation) storage history = _history[relyingParty_];
        uint256 low = 0;
        uint256 high = current.changes();
        // Invariant: entries below `low` took effect at or before `at`; entries at or above `high` after it.
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (history[mid].since() <= at) low = mid + 1;
            else high = mid;
        }
        if (low == 0) return PackedAccreditationLib.unpack(PackedAccreditation.wrap(0));
        return history[low - 1].unpack();
    }

    function _toPermission(PackedClaimPermission packed, CredentialTypeId credentialType, uint40 at)
        private
        view
        returns (ClaimPermission memory p)
    {
        if (packed.isEmpty()) return p;
        PackedClaimPermissionLib.Fields memory f = packed.unpack();
        p.claimsDigest = f.digest;
        p.claimCount = f.count;
        p.since = f.since;
        p.setBy = _registry.partyIdentity(f.setBy);
        p.changes = f.changes;
        p.grantorInForce = _registry.standingAt(p.setBy, credentialType, at).inForce;
    }
}
