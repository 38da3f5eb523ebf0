// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccreditationRegistry} from "./interfaces/IAccreditationRegistry.sol";
import {CredentialTypeId} from "./interfaces/ICredentialTypeRegistry.sol";
import {IIdentityRegistry} from "./interfaces/IIdentityRegistry.sol";
import {CredentialTypeRegistry} from "./governance/CredentialTypeRegistry.sol";
import {RootGovernance} from "./governance/RootGovernance.sol";
import {IdentityOwner} from "./libraries/IdentityOwner.sol";
import {PackedAccreditation, PackedAccreditationLib} from "./libraries/PackedAccreditation.sol";

/// @title AccreditationRegistry
/// @notice Who may issue which credential type, when, and since when: the root accredits accreditors,
/// accreditors accredit issuers inside their own scope. Includes the credential type registry and the
/// governance root. Holds public trust data only: no holder, no claim, nothing per person.
/// @dev Each (party, type) accreditation is one packed storage word; every change first copies the previous
/// word into an append-only history, so past answers are read from checkpoints and never recomputed.
contract AccreditationRegistry is IAccreditationRegistry, RootGovernance, CredentialTypeRegistry {
    using PackedAccreditationLib for PackedAccreditation;
    using IdentityOwner for IIdentityRegistry;

    /// @notice Most credential types in one `accreditAccreditor` call (keeps the loop bounded).
    uint256 public constant MAX_TYPES_PER_CALL = 16;
    /// @notice Longest accepted party name, in bytes.
    uint256 public constant MAX_NAME_LENGTH = 128;

    uint8 private constant _STORED_NONE = 0;
    uint8 private constant _STORED_ACTIVE = 1;
    uint8 private constant _STORED_SUSPENDED = 2;
    uint8 private constant _STORED_REVOKED = 3;

    /// @dev One slot per party; the name lives beside it.
    struct PartySlot {
        uint32 id;
        Role role;
        uint40 registeredAt;
        uint32 registeredBy;
    }

    mapping(address identity => PartySlot) private _parties;
    mapping(address identity => string) private _partyNames;
    mapping(uint32 id => address identity) private _partyIdentities;
    uint32 private _partyCount;

    mapping(address party => mapping(CredentialTypeId credentialType => PackedAccreditation)) private _records;
    mapping(
        address party => mapping(CredentialTypeId credentialType => mapping(uint256 index => PackedAccreditation))
    ) private _history;

    /// @param identityRegistry_ the ERC-1056 registry that names the key acting for each identity.
    /// @param root_ the root identity (e.g. the Ministry of the Interior and Safety).
    /// @param rootName_ the root's public name.
    /// @param rootTransferDelay_ seconds between proposing and accepting a new root.
    constructor(IIdentityRegistry identityRegistry_, address root_, string memory rootName_, uint48 rootTransferDelay_)
        RootGovernance(identityRegistry_, root_, rootTransferDelay_)
    {
        _registerParty(root_, Role.Root, 0, rootName_);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Parties
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IAccreditationRegistry
    function registerAccreditor(address accreditor, string calldata name) external {
        address root_ = _checkRoot();
        _registerParty(accreditor, Role.Accreditor, _parties[root_].id, name);
    }

    /// @inheritdoc IAccreditationRegistry
    function registerIssuer(address accreditor, address issuer, string calldata name) external {
        _checkActor(accreditor);
        PartySlot memory acc = _requireRole(accreditor, Role.Accreditor);
        _registerParty(issuer, Role.Issuer, acc.id, name);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Credential types (root only)
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Registers a credential type; its governing accreditor must be a registered accreditor.
    function registerCredentialType(
        string calldata name,
        uint32 version,
        bytes32 schemaHash,
        string calldata schemaUri,
        address governingAccreditor
    ) external returns (CredentialTypeId) {
        _checkRoot();
        _requireRole(governingAccreditor, Role.Accreditor);
        return _registerCredentialType(name, version, schemaHash, schemaUri, governingAccreditor);
    }

    /// @notice Deprecates a credential type, for `reason`. Only the root's owner key.
    function deprecateCredentialType(CredentialTypeId id, uint32 reason) external {
        address root_ = _checkRoot();
        if (reason == 0) revert AccreditationRegistryMissingReason();
        address governing = _deprecateCredentialType(id, root_, reason);
        // Only the governing accreditor can hold an accreditor-level record for the type; flagging it makes
        // every later `accreditIssuer` for the type fail without reading the type registry.
        PackedAccreditation record = _records[governing][id];
        if (!record.isEmpty()) _records[governing][id] = record.withTypeDeprecated();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accreditations
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IAccreditationRegistry
    function accreditAccreditor(
        address accreditor,
        CredentialTypeId[] calldata credentialTypes,
        uint40 validFrom,
        uint40 validUntil,
        uint32 reason
    ) external {
        address root_ = _checkRoot();
        uint32 rootId = _parties[root_].id;
        _requireRole(accreditor, Role.Accreditor);
        uint256 count = credentialTypes.length;
        if (count == 0 || count > MAX_TYPES_PER_CALL) {
            revert AccreditationRegistryBadTypeCount(count, MAX_TYPES_PER_CALL);
        }
        _checkWindow(validFrom, validUntil);
        if (reason == 0) revert AccreditationRegistryMissingReason();
        for (uint256 i = 0; i < count; ++i) {
            CredentialTypeId credentialType = credentialTypes[i];
            address governing = _requireGrantableType(credentialType);
            if (governing != accreditor) {
                revert AccreditationRegistryNotGoverningAccreditor(credentialType, accreditor, governing);
            }
            _grant(accreditor, credentialType, rootId, validFrom, validUntil, reason, root_);
        }
    }

    /// @inheritdoc IAccreditationRegistry
    function accreditIssuer(
        address accreditor,
        address issuer,
        CredentialTypeId credentialType,
        uint40 validFrom,
        uint40 validUntil,
        uint32 reason
    ) external {
        _checkActor(accreditor);
        PartySlot memory acc = _requireRole(accreditor, Role.Accreditor);
        _requireRole(issuer, Role.Issuer);
        // The type is checked through the accreditor's own record in _checkScope (see deprecateCredentialType).
        _checkWindow(validFrom, validUntil);
        if (reason == 0) revert AccreditationRegistryMissingReason();
        _checkScope(accreditor, credentialType, validFrom, validUntil);
        _grant(issuer, credentialType, acc.id, validFrom, validUntil, reason, accreditor);
    }

    /// @inheritdoc IAccreditationRegistry
    function renew(address actor, address party_, CredentialTypeId credentialType, uint40 validUntil, uint32 reason)
        external
    {
        (PackedAccreditationLib.Fields memory f, uint32 actorId) = _authority(actor, party_, credentialType);
        if (f.status != _STORED_ACTIVE && f.status != _STORED_SUSPENDED) {
            revert AccreditationRegistryInvalidTransition(party_, credentialType, Status(f.status), Status.Active);
        }
        if (validUntil <= f.validUntil || validUntil <= block.timestamp) {
            revert AccreditationRegistryInvalidWindow(f.validFrom, validUntil, uint40(block.timestamp));
        }
        // An issuer's window stays inside its accreditor's; an accreditor's grantor is the root.
        address grantor = _partyIdentities[f.grantor];
        if (_parties[grantor].role == Role.Accreditor) {
            _checkScope(grantor, credentialType, f.validFrom, validUntil);
        }
        _change(party_, credentialType, f, f.status, validUntil, actorId, reason, actor);
    }

    /// @inheritdoc IAccreditationRegistry
    function suspend(address actor, address party_, CredentialTypeId credentialType, uint32 reason) external {
        (PackedAccreditationLib.Fields memory f, uint32 actorId) = _authority(actor, party_, credentialType);
        if (f.status != _STORED_ACTIVE) {
            revert AccreditationRegistryInvalidTransition(party_, credentialType, Status(f.status), Status.Suspended);
        }
        _change(party_, credentialType, f, _STORED_SUSPENDED, f.validUntil, actorId, reason, actor);
    }

    /// @inheritdoc IAccreditationRegistry
    function reinstate(address actor, address party_, CredentialTypeId credentialType, uint32 reason) external {
        (PackedAccreditationLib.Fields memory f, uint32 actorId) = _authority(actor, party_, credentialType);
        if (f.status != _STORED_SUSPENDED) {
            revert AccreditationRegistryInvalidTransition(party_, credentialType, Status(f.status), Status.Active);
        }
        _change(party_, credentialType, f, _STORED_ACTIVE, f.validUntil, actorId, reason, actor);
    }

    /// @inheritdoc IAccreditationRegistry
    function revoke(address actor, address party_, CredentialTypeId credentialType, uint32 reason) external {
        (PackedAccreditationLib.Fields memory f, uint32 actorId) = _authority(actor, party_, credentialType);
        if (f.status != _STORED_ACTIVE && f.status != _STORED_SUSPENDED) {
            revert AccreditationRegistryInvalidTransition(party_, credentialType, Status(f.status), Status.Revoked);
        }
        _change(party_, credentialType, f, _STORED_REVOKED, f.validUntil, actorId, reason, actor);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IAccreditationRegistry
    function party(address identity) external view returns (Party memory p) {
        PartySlot memory s = _parties[identity];
        p = Party({
            identity: identity,
            id: s.id,
            role: s.role,
            registeredAt: s.registeredAt,
            registeredBy: _partyIdentities[s.registeredBy],
            name: _partyNames[identity]
        });
    }

    /// @inheritdoc IAccreditationRegistry
    function partyIdentity(uint32 id) external view returns (address) {
        return _partyIdentities[id];
    }

    /// @inheritdoc IAccreditationRegistry
    function partyCount() external view returns (uint32) {
        return _partyCount;
    }

    /// @inheritdoc IAccreditationRegistry
    function accreditation(address party_, CredentialTypeId credentialType)
        external
        view
        returns (Accreditation memory)
    {
        return _toAccreditation(_records[party_][credentialType].unpack());
    }

    /// @inheritdoc IAccreditationRegistry
    function accreditationHistory(address party_, CredentialTypeId credentialType, uint256 index)
        external
        view
        returns (Accreditation memory)
    {
        uint256 length = _records[party_][credentialType].changes();
        if (index >= length) revert AccreditationRegistryHistoryOutOfRange(index, length);
        return _toAccreditation(_history[party_][credentialType][index].unpack());
    }

    /// @inheritdoc IAccreditationRegistry
    function standingAt(address party_, CredentialTypeId credentialType, uint40 at)
        external
        view
        returns (Standing memory s)
    {
        PackedAccreditationLib.Fields memory f = _recordAt(party_, credentialType, at);
        s.status = _effectiveStatus(f, at);
        s.validFrom = f.validFrom;
        s.validUntil = f.validUntil;
        s.since = f.since;
        s.reason = f.reason;
        s.final_ = at < block.timestamp;
        if (f.status == _STORED_NONE) {
            s.accreditorStatus = Status.None;
            return s;
        }
        address grantor = _partyIdentities[f.grantor];
        s.accreditor = grantor;
        if (_parties[grantor].role == Role.Root) {
            // Accreditors answer to the root alone, which is always in force.
            s.accreditorStatus = Status.Active;
        } else {
            s.accreditorStatus = _effectiveStatus(_recordAt(grantor, credentialType, at), at);
        }
        s.inForce = s.status == Status.Active && s.accreditorStatus == Status.Active;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    function _registerParty(address identity, Role role, uint32 registeredBy, string memory name) private {
        if (identity == address(0)) revert RootGovernanceZeroAddress();
        uint256 length = bytes(name).length;
        if (length == 0 || length > MAX_NAME_LENGTH) revert AccreditationRegistryInvalidName(length, MAX_NAME_LENGTH);
        if (_parties[identity].role != Role.None) revert AccreditationRegistryDuplicateParty(identity);
        uint32 id = ++_partyCount;
        _parties[identity] =
            PartySlot({id: id, role: role, registeredAt: uint40(block.timestamp), registeredBy: registeredBy});
        _partyNames[identity] = name;
        _partyIdentities[id] = identity;
        emit PartyRegistered(identity, id, _partyIdentities[registeredBy], role, name);
    }

    function _beforeRootTransfer(address newRoot) internal view override {
        Role role = _parties[newRoot].role;
        if (role != Role.None && role != Role.Root) revert AccreditationRegistryWrongRole(newRoot, Role.Root, role);
    }

    function _afterRootTransfer(address previousRoot, address newRoot) internal override {
        if (_parties[newRoot].role == Role.None) {
            _registerParty(newRoot, Role.Root, _parties[previousRoot].id, _partyNames[previousRoot]);
        }
    }

    /// @dev Reverts unless the caller is the current ERC-1056 owner key of `actor`.
    function _checkActor(address actor) private view {
        if (identityRegistry().ownerOf(actor) != msg.sender) {
            revert AccreditationRegistryUnauthorized(msg.sender, actor);
        }
    }

    function _requireRole(address identity, Role role) private view returns (PartySlot memory p) {
        p = _parties[identity];
        if (p.role != role) {
            if (p.role == Role.None) revert AccreditationRegistryUnknownParty(identity);
            revert AccreditationRegistryWrongRole(identity, role, p.role);
        }
    }

    function _checkWindow(uint40 validFrom, uint40 validUntil) private view {
        if (validFrom >= validUntil || validUntil <= block.timestamp) {
            revert AccreditationRegistryInvalidWindow(validFrom, validUntil, uint40(block.timestamp));
        }
    }

    /// @dev Reverts unless `accreditor` is stored-`Active` for a grantable type and `[from, until)` lies in its
    /// window. Reads the packed word directly: this sits on the path of every grant and renewal.
    function _checkScope(address accreditor, CredentialTypeId credentialType, uint40 from, uint40 until)
        private
        view
    {
        PackedAccreditation packed = _records[accreditor][credentialType];
        if (packed.isEmpty()) {
            // Say precisely why: an unknown or deprecated type, or an accreditor never accredited for it.
            _requireGrantableType(credentialType);
            revert AccreditationRegistryOutOfScope(accreditor, credentialType, Status.None);
        }
        if (packed.typeDeprecated()) revert CredentialTypeRegistryDeprecatedType(credentialType);
        uint256 v = PackedAccreditation.unwrap(packed);
        uint40 scopeFrom = uint40(v >> 8);
        uint40 scopeUntil = uint40(v >> 48);
        if (packed.status() != _STORED_ACTIVE || scopeUntil <= block.timestamp) {
            revert AccreditationRegistryOutOfScope(
                accreditor, credentialType, _effectiveStatus(packed.unpack(), uint40(block.timestamp))
            );
        }
        if (from < scopeFrom || until > scopeUntil) {
            revert AccreditationRegistryWindowOutOfScope(from, until, scopeFrom, scopeUntil);
        }
    }

    function _grant(
        address party_,
        CredentialTypeId credentialType,
        uint32 grantorId,
        uint40 validFrom,
        uint40 validUntil,
        uint32 reason,
        address actor
    ) private {
        mapping(CredentialTypeId => PackedAccreditation) storage records = _records[party_];
        if (!records[credentialType].isEmpty()) {
            revert AccreditationRegistryDuplicateAccreditation(party_, credentialType);
        }
        // Same layout as PackedAccreditationLib.pack, written out: status Active, changedBy = grantor, 0 changes.
        records[credentialType] = PackedAccreditation.wrap(
            uint256(_STORED_ACTIVE) | (uint256(validFrom) << 8) | (uint256(validUntil) << 48)
                | (uint256(uint40(block.timestamp)) << 88) | (uint256(grantorId) << 128) | (uint256(grantorId) << 160)
                | (uint256(reason) << 192)
        );
        emit AccreditationChanged(party_, credentialType, actor, Status.Active, validFrom, validUntil, reason);
    }

    /// @dev Checks that the caller acts for `actor`, that the record exists, and that `actor` is the current
    /// root or the accreditor that granted it. Returns the record and the actor's party id.
    function _authority(address actor, address party_, CredentialTypeId credentialType)
        private
        view
        returns (PackedAccreditationLib.Fields memory f, uint32 actorId)
    {
        _checkActor(actor);
        PackedAccreditation packed = _records[party_][credentialType];
        if (packed.isEmpty()) revert AccreditationRegistryNoAccreditation(party_, credentialType);
        f = packed.unpack();
        PartySlot memory a = _parties[actor];
        if (actor == root()) return (f, a.id);
        // A former root keeps role Root but loses its authority; only an accreditor can be a grantor here.
        if (a.role != Role.Accreditor || a.id != f.grantor) {
            revert AccreditationRegistryNotAuthority(actor, party_, credentialType);
        }
        return (f, a.id);
    }

    function _change(
        address party_,
        CredentialTypeId credentialType,
        PackedAccreditationLib.Fields memory f,
        uint8 newStatus,
        uint40 newValidUntil,
        uint32 actorId,
        uint32 reason,
        address actor
    ) private {
        if (reason == 0) revert AccreditationRegistryMissingReason();
        _history[party_][credentialType][f.changes] = PackedAccreditationLib.pack(f);
        f.status = newStatus;
        f.validUntil = newValidUntil;
        f.since = uint40(block.timestamp);
        f.changedBy = actorId;
        f.reason = reason;
        // A uint32 of changes per (party, type) cannot be exhausted by any realistic governance process;
        // checked arithmetic would still revert rather than wrap.
        f.changes += 1;
        _records[party_][credentialType] = PackedAccreditationLib.pack(f);
        emit AccreditationChanged(party_, credentialType, actor, Status(newStatus), f.validFrom, newValidUntil, reason);
    }

    /// @dev The stored record that was in effect at `at`: the current one if it took effect at or before `at`,
    /// otherwise the latest history entry that did (binary search: history is in time order).
    function _recordAt(address party_, CredentialTypeId credentialType, uint40 at)
        private
        view
        returns (PackedAccreditationLib.Fields memory)
    {
        PackedAccreditation current = _records[party_][credentialType];
        if (current.isEmpty() || at >= current.since()) return current.unpack();
        mapping(uint256 => PackedAccreditation) storage history = _history[party_][credentialType];
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

    function _effectiveStatus(PackedAccreditationLib.Fields memory f, uint40 at) private pure returns (Status) {
        if (f.status == _STORED_ACTIVE) {
            if (at < f.validFrom) return Status.Pending;
            if (at >= f.validUntil) return Status.Expired;
            return Status.Active;
        }
        return Status(f.status);
    }

    function _toAccreditation(PackedAccreditationLib.Fields memory f) private view returns (Accreditation memory) {
        return Accreditation({
            status: Status(f.status),
            validFrom: f.validFrom,
            validUntil: f.validUntil,
            since: f.since,
            grantor: _partyIdentities[f.grantor],
            changedBy: _partyIdentities[f.changedBy],
            reason: f.reason,
            changes: f.changes
        });
    }
}
