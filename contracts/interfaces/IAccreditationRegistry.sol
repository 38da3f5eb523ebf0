// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {CredentialTypeId} from "./ICredentialTypeRegistry.sol";

/// @title Accreditation of accreditors and issuers, per credential type, with on-chain history.
/// @notice The root accredits accreditors (ministries) for credential types; an accreditor accredits issuers
/// (universities, licensing offices) for a type within its own scope and validity window. Parties are
/// `did:ethr` identities: every call names the identity it acts for, and the caller must be that identity's
/// current owner key in the ERC-1056 registry. Every change is checkpointed, so "was this issuer in force
/// for this type at time t?" has one answer for any past t that never changes afterwards.
interface IAccreditationRegistry {
    /// @notice What a registered identity is to the network.
    /// `Root` marks every identity that has held the root authority; `root()` names the current one.
    enum Role {
        None,
        Root,
        Accreditor,
        Issuer
    }

    /// @notice The state of an accreditation. `Expired` and `Pending` are derived from the window and the time
    /// asked about; they are never stored. `Revoked` is terminal.
    enum Status {
        None,
        Active,
        Suspended,
        Revoked,
        Expired,
        Pending
    }

    /// @notice A registered party.
    struct Party {
        address identity;
        uint32 id;
        Role role;
        uint40 registeredAt;
        address registeredBy;
        string name;
    }

    /// @notice One accreditation as stored (or as it stood at a checkpoint). `status` is the stored state
    /// (`None`, `Active`, `Suspended` or `Revoked`); `since` is when that state (and window) took effect.
    struct Accreditation {
        Status status;
        uint40 validFrom;
        uint40 validUntil;
        uint40 since;
        address grantor;
        address changedBy;
        uint32 reason;
        uint32 changes;
    }

    /// @notice The one-call answer to "was `issuer` in force for a type at time t?".
    /// @param inForce the party's own accreditation and its accreditor's accreditation for the type were both
    /// `Active` and inside their windows at t (for an accreditor: its own accreditation alone).
    /// @param status the party's effective status at t (`Expired`/`Pending` derived from the window).
    /// @param accreditorStatus the effective status at t of the accreditor's own accreditation for the type
    /// (`Active` for an accreditor, whose grantor is the root).
    /// @param since when the party's accreditation last changed at or before t.
    /// @param final true when t is before the current block's timestamp: the answer can no longer change.
    struct Standing {
        bool inForce;
        Status status;
        Status accreditorStatus;
        uint40 validFrom;
        uint40 validUntil;
        uint40 since;
        address accreditor;
        uint32 reason;
        bool final_;
    }

    /// @notice `caller` is not the current ERC-1056 owner key of the identity `actor` it claims to act for.
    error AccreditationRegistryUnauthorized(address caller, address actor);
    /// @notice `actor` has no authority over the accreditation of `party` for `credentialType`.
    error AccreditationRegistryNotAuthority(address actor, address party, CredentialTypeId credentialType);
    /// @notice `accreditor` is not itself `Active` for `credentialType`, so it cannot grant it.
    error AccreditationRegistryOutOfScope(address accreditor, CredentialTypeId credentialType, Status status);
    /// @notice The requested window is not inside the accreditor's own window for the type.
    error AccreditationRegistryWindowOutOfScope(
        uint40 validFrom, uint40 validUntil, uint40 scopeFrom, uint40 scopeUntil
    );
    /// @notice The window is empty, inverted, or already over at `nowTime`.
    error AccreditationRegistryInvalidWindow(uint40 validFrom, uint40 validUntil, uint40 nowTime);
    /// @notice `identity` is not a registered party.
    error AccreditationRegistryUnknownParty(address identity);
    /// @notice `identity` is registered with role `actual`, but the operation needs `expected`.
    error AccreditationRegistryWrongRole(address identity, Role expected, Role actual);
    /// @notice `identity` is already registered.
    error AccreditationRegistryDuplicateParty(address identity);
    /// @notice `party` already has an accreditation record for `credentialType`.
    error AccreditationRegistryDuplicateAccreditation(address party, CredentialTypeId credentialType);
    /// @notice `party` has no accreditation record for `credentialType`.
    error AccreditationRegistryNoAccreditation(address party, CredentialTypeId credentialType);
    /// @notice The accreditation of `party` for `credentialType` cannot go from `from` to `to`.
    error AccreditationRegistryInvalidTransition(
        address party, CredentialTypeId credentialType, Status from, Status to
    );
    /// @notice A change was attempted without a reason code (0 is not a reason).
    error AccreditationRegistryMissingReason();
    /// @notice `accreditor` does not govern `credentialType`; the type registry names `governing`.
    error AccreditationRegistryNotGoverningAccreditor(
        CredentialTypeId credentialType, address accreditor, address governing
    );
    /// @notice A batch of `count` types exceeds `max`, or is empty.
    error AccreditationRegistryBadTypeCount(uint256 count, uint256 max);
    /// @notice A party name is empty or longer than `maxLength` bytes.
    error AccreditationRegistryInvalidName(uint256 length, uint256 maxLength);
    /// @notice A history index at or past `length` was asked for.
    error AccreditationRegistryHistoryOutOfRange(uint256 index, uint256 length);

    /// @notice A party was registered.
    event PartyRegistered(
        address indexed identity, uint32 indexed id, address indexed registeredBy, Role role, string name
    );

    /// @notice An accreditation was created or changed. `actor` is the identity that acted (the key that sent
    /// the transaction is the transaction's `from`).
    event AccreditationChanged(
        address indexed party,
        CredentialTypeId indexed credentialType,
        address indexed actor,
        Status status,
        uint40 validFrom,
        uint40 validUntil,
        uint32 reason
    );

    /// @notice Registers `accreditor` (e.g. the Ministry of Education). Only the root's owner key.
    function registerAccreditor(address accreditor, string calldata name) external;

    /// @notice Registers `issuer` (e.g. a university) on behalf of the registered accreditor `accreditor`.
    function registerIssuer(address accreditor, address issuer, string calldata name) external;

    /// @notice Accredits `accreditor` for each of `credentialTypes` (it must govern each) over
    /// `[validFrom, validUntil)`. Only the root's owner key.
    function accreditAccreditor(
        address accreditor,
        CredentialTypeId[] calldata credentialTypes,
        uint40 validFrom,
        uint40 validUntil,
        uint32 reason
    ) external;

    /// @notice `accreditor` accredits `issuer` for `credentialType` over `[validFrom, validUntil)`, which must
    /// lie inside the accreditor's own window for that type. Only the accreditor's owner key.
    function accreditIssuer(
        address accreditor,
        address issuer,
        CredentialTypeId credentialType,
        uint40 validFrom,
        uint40 validUntil,
        uint32 reason
    ) external;

    /// @notice Extends the window of an `Active` or `Suspended` accreditation to `validUntil` (later than both the
    /// current end and now); for an issuer, still inside its accreditor's window. `actor` is the grantor or the root.
    function renew(address actor, address party, CredentialTypeId credentialType, uint40 validUntil, uint32 reason)
        external;

    /// @notice Suspends an `Active` accreditation (reversible). `actor` is the grantor or the root.
    function suspend(address actor, address party, CredentialTypeId credentialType, uint32 reason) external;

    /// @notice Reinstates a `Suspended` accreditation. `actor` is the grantor or the root.
    function reinstate(address actor, address party, CredentialTypeId credentialType, uint32 reason) external;

    /// @notice Revokes an `Active` or `Suspended` accreditation, for good. `actor` is the grantor or the root.
    function revoke(address actor, address party, CredentialTypeId credentialType, uint32 reason) external;

    /// @notice The registered party `identity` (role `None` and id 0 when unknown).
    function party(address identity) external view returns (Party memory);

    /// @notice The identity of party number `id` (zero address when unknown).
    function partyIdentity(uint32 id) external view returns (address);

    /// @notice How many parties were ever registered (ids run from 1 to this number).
    function partyCount() external view returns (uint32);

    /// @notice The current stored accreditation of `party` for `credentialType`.
    function accreditation(address party, CredentialTypeId credentialType)
        external
        view
        returns (Accreditation memory);

    /// @notice The `index`-th earlier version of the accreditation, oldest first (`changes` of them exist).
    function accreditationHistory(address party, CredentialTypeId credentialType, uint256 index)
        external
        view
        returns (Accreditation memory);

    /// @notice Whether `party` (an issuer or an accreditor) was in force for `credentialType` at time `at`,
    /// with its state, window, accreditor and since when. Works for any past or present `at`.
    function standingAt(address party, CredentialTypeId credentialType, uint40 at)
        external
        view
        returns (Standing memory);
}
