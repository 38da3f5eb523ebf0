// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccreditationRegistry} from "./IAccreditationRegistry.sol";
import {CredentialTypeId} from "./ICredentialTypeRegistry.sol";

/// @title Registration of relying parties (verifiers), with on-chain history.
/// @notice An accreditor registers a relying party (a `did:ethr` identity: a shop, a bank, a university gate)
/// with its public display name and purpose, a validity window and, per credential type, the claims it may ask
/// for. The registering accreditor (the registrar) or the root can suspend, reinstate, renew and revoke it; the
/// claims of a credential type are granted, changed and withdrawn by an accreditor in force for that type.
/// Governance is not duplicated: who is the root and who is an accreditor in force for a type is read from the
/// accreditation registry. No personal data: a relying party is an organisation, and its permitted claims are
/// claim-path identifiers of a credential type's schema (e.g. `age_equal_or_over.19`).
/// @dev Per (party, type) the contract stores a 160-bit commitment to the sorted claim identifiers (one slot
/// with its metadata); the identifiers themselves are in the `RelyingPartyClaimsSet` event, which readers check
/// against the commitment. The party's standing is one packed word with append-only history, as for issuers.
interface IRelyingPartyRegistry {
    /// @notice The one-call answer to "was this relying party registered and in force at time t?".
    /// @param inForce the stored status was `Active` and t lay inside `[validFrom, validUntil)`.
    /// @param status the effective status at t (`Expired`/`Pending` derived from the window; `None` if not
    /// registered at t).
    /// @param since when the record last changed at or before t.
    /// @param registrar the accreditor that registered the party.
    /// @param final true when t is before the current block's timestamp: the answer can no longer change.
    struct RelyingPartyStanding {
        bool inForce;
        IAccreditationRegistry.Status status;
        uint40 validFrom;
        uint40 validUntil;
        uint40 since;
        address registrar;
        uint32 reason;
        bool final_;
    }

    /// @notice A relying party's public registration data and current stored record.
    struct RelyingParty {
        address identity;
        address registrar;
        uint40 registeredAt;
        IAccreditationRegistry.Status status;
        uint40 validFrom;
        uint40 validUntil;
        uint40 since;
        address changedBy;
        uint32 reason;
        uint32 changes;
        string name;
        string purpose;
    }

    /// @notice What an accreditor registers about a relying party: public organisation data and a window.
    /// @param name display name shown to holders (1 to `MAX_NAME_LENGTH` bytes of UTF-8).
    /// @param purpose why it asks for credentials, shown to holders (1 to `MAX_PURPOSE_LENGTH` bytes).
    /// @param reason the reason code recorded with the registration (non-zero).
    struct Registration {
        string name;
        string purpose;
        uint40 validFrom;
        uint40 validUntil;
        uint32 reason;
    }

    /// @notice Which claims of one credential type a relying party could ask for at some time.
    /// @param claimsDigest first 20 bytes of `keccak256(abi.encodePacked(claims))` over the strictly ascending
    /// claim identifiers; zero when nothing is permitted (never set, or withdrawn).
    /// @param claimCount how many identifiers the digest commits to.
    /// @param since when this permission took effect (0 if never set at or before t).
    /// @param setBy the accreditor that set it.
    /// @param grantorInForce whether `setBy` was itself in force for the type at t: a permission lapses with the
    /// accreditation of the accreditor that granted it.
    struct ClaimPermission {
        bytes20 claimsDigest;
        uint8 claimCount;
        uint40 since;
        address setBy;
        uint16 changes;
        bool grantorInForce;
    }

    /// @notice `caller` is not the current ERC-1056 owner key of the identity `actor` it claims to act for.
    error RelyingPartyRegistryUnauthorized(address caller, address actor);
    /// @notice `identity` is not a registered accreditor in the accreditation registry.
    error RelyingPartyRegistryNotAccreditor(address identity);
    /// @notice `accreditor` is not in force for `credentialType`, so it cannot grant claims of it.
    error RelyingPartyRegistryOutOfScope(address accreditor, CredentialTypeId credentialType);
    /// @notice `actor` is neither the registrar of `relyingParty` nor the root.
    error RelyingPartyRegistryNotAuthority(address actor, address relyingParty);
    /// @notice The window is empty, inverted, or already over at `nowTime`.
    error RelyingPartyRegistryInvalidWindow(uint40 validFrom, uint40 validUntil, uint40 nowTime);
    /// @notice `relyingParty` is already registered.
    error RelyingPartyRegistryDuplicate(address relyingParty);
    /// @notice `relyingParty` is not registered.
    error RelyingPartyRegistryUnknown(address relyingParty);
    /// @notice The record of `relyingParty` cannot go from `from` to `to`.
    error RelyingPartyRegistryInvalidTransition(
        address relyingParty, IAccreditationRegistry.Status from, IAccreditationRegistry.Status to
    );
    /// @notice A change was attempted without a reason code (0 is not a reason).
    error RelyingPartyRegistryMissingReason();
    /// @notice The display name is empty or longer than `maxLength` bytes.
    error RelyingPartyRegistryInvalidName(uint256 length, uint256 maxLength);
    /// @notice The purpose is empty or longer than `maxLength` bytes.
    error RelyingPartyRegistryInvalidPurpose(uint256 length, uint256 maxLength);
    /// @notice `count` credential types (or claim lists that do not match them, `claimLists`) in one call.
    error RelyingPartyRegistryBadTypeCount(uint256 count, uint256 claimLists, uint256 max);
    /// @notice The claim list for `credentialType` has `count` entries (1 to `max` are accepted).
    error RelyingPartyRegistryBadClaimCount(CredentialTypeId credentialType, uint256 count, uint256 max);
    /// @notice Claim identifier `index` for `credentialType` is zero or not strictly greater than the one before.
    error RelyingPartyRegistryClaimsNotCanonical(CredentialTypeId credentialType, uint256 index);
    /// @notice A history index at or past `length` was asked for.
    error RelyingPartyRegistryHistoryOutOfRange(uint256 index, uint256 length);
    /// @notice The zero address was given where an identity or a registry is required.
    error RelyingPartyRegistryZeroAddress();

    /// @notice A relying party was registered by `registrar` with its public name and purpose.
    event RelyingPartyRegistered(address indexed relyingParty, address indexed registrar, string name, string purpose);

    /// @notice The standing of a relying party was created or changed by the identity `actor`.
    event RelyingPartyChanged(
        address indexed relyingParty,
        address indexed actor,
        IAccreditationRegistry.Status status,
        uint40 validFrom,
        uint40 validUntil,
        uint32 reason
    );

    /// @notice The claims of `credentialType` that `relyingParty` may ask for were set (an empty list withdraws
    /// the type). `claims` are strictly ascending claim identifiers; `claimsDigest` is their stored commitment.
    event RelyingPartyClaimsSet(
        address indexed relyingParty,
        CredentialTypeId indexed credentialType,
        address indexed actor,
        bytes20 claimsDigest,
        bytes32[] claims
    );

    /// @notice `accreditor` registers `relyingParty` with the name and purpose of `registration`, active over
    /// its `[validFrom, validUntil)`, permitted to ask for `claims[i]` of `credentialTypes[i]`. The accreditor
    /// must be in force for every type named. Only the accreditor's owner key.
    function registerRelyingParty(
        address accreditor,
        address relyingParty,
        Registration calldata registration,
        CredentialTypeId[] calldata credentialTypes,
        bytes32[][] calldata claims
    ) external;

    /// @notice `accreditor`, in force for `credentialType`, replaces the claims of that type that `relyingParty`
    /// may ask for (an empty list withdraws the type). The party must be registered and not revoked.
    function setClaims(
        address accreditor,
        address relyingParty,
        CredentialTypeId credentialType,
        bytes32[] calldata claims
    ) external;

    /// @notice Suspends an `Active` relying party (reversible). `actor` is its registrar or the root.
    function suspend(address actor, address relyingParty, uint32 reason) external;

    /// @notice Reinstates a `Suspended` relying party. `actor` is its registrar or the root.
    function reinstate(address actor, address relyingParty, uint32 reason) external;

    /// @notice Revokes an `Active` or `Suspended` relying party, for good. `actor` is its registrar or the root.
    function revoke(address actor, address relyingParty, uint32 reason) external;

    /// @notice Extends the window of an `Active` or `Suspended` relying party to `validUntil` (later than both
    /// the current end and now). `actor` is its registrar or the root.
    function renew(address actor, address relyingParty, uint40 validUntil, uint32 reason) external;

    /// @notice The accreditation registry whose root and accreditors govern this registry.
    function accreditationRegistry() external view returns (IAccreditationRegistry);

    /// @notice The registration and current record of `relyingParty` (status `None` when unknown).
    function relyingParty(address relyingParty) external view returns (RelyingParty memory);

    /// @notice The `index`-th earlier version of the record, oldest first (`changes` of them exist), as
    /// (status, validFrom, validUntil, since, changedBy, reason).
    function relyingPartyHistory(address relyingParty, uint256 index)
        external
        view
        returns (
            IAccreditationRegistry.Status status,
            uint40 validFrom,
            uint40 validUntil,
            uint40 since,
            address changedBy,
            uint32 reason
        );

    /// @notice Whether `relyingParty` was registered and in force at time `at`. Works for any past or present `at`.
    function standingAt(address relyingParty, uint40 at) external view returns (RelyingPartyStanding memory);

    /// @notice The claims of `credentialType` that `relyingParty` could ask for at time `at`, as a commitment.
    function claimsAt(address relyingParty, CredentialTypeId credentialType, uint40 at)
        external
        view
        returns (ClaimPermission memory);

    /// @notice The `index`-th earlier claim permission for the type, oldest first (`changes` of them exist).
    function claimsHistory(address relyingParty, CredentialTypeId credentialType, uint256 index)
        external
        view
        returns (ClaimPermission memory);
}
