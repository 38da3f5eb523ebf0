// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title Issuer-owned status lists (revocation and suspension bit lists).
/// @notice An issuer creates lists of 2^k entries (k from 17, i.e. 131,072 entries, up to 24); each list serves
/// one purpose. A credential carries a random entry of a list; its bit set means revoked (permanent: no
/// function clears a revocation bit) or suspended (cleared by reinstating). Only the list's issuer (its
/// current ERC-1056 owner key) or an operator key that the issuer named may write. Events carry the list,
/// the entries (as an index, or as 256-bit masks over word indexes in a batch), the new value and the
/// reason, so that a verifier can keep an exact copy of every list from the events alone and never has to
/// tell anyone which entry it is checking.
interface IStatusRegistry {
    /// @notice What the bits of a list mean.
    enum Purpose {
        None,
        Revocation,
        Suspension
    }

    /// @notice A list as recorded at creation; none of it ever changes.
    struct StatusList {
        address issuer;
        Purpose purpose;
        uint8 sizeLog2;
        uint40 createdAt;
        uint64 createdBlock;
    }

    /// @notice `caller` is neither an operator of list `listId` nor the owner key of its issuer.
    error StatusRegistryUnauthorized(address caller, uint256 listId);
    /// @notice `caller` is not the current owner key of the issuer identity `issuer`.
    error StatusRegistryNotIssuerOwner(address caller, address issuer);
    /// @notice No list `listId` exists.
    error StatusRegistryUnknownList(uint256 listId);
    /// @notice `index` is not below the list's `size`.
    error StatusRegistryIndexOutOfRange(uint256 listId, uint256 index, uint256 size);
    /// @notice The word `wordIndex` is not below the list's word count `words`.
    error StatusRegistryWordOutOfRange(uint256 listId, uint256 wordIndex, uint256 words);
    /// @notice The operation needs a list of purpose `expected`; list `listId` has `actual`.
    error StatusRegistryWrongPurpose(uint256 listId, Purpose expected, Purpose actual);
    /// @notice Revocation is permanent: entries of revocation list `listId` can never be cleared.
    error StatusRegistryRevocationIsPermanent(uint256 listId);
    /// @notice `purpose` is not `Revocation` or `Suspension`.
    error StatusRegistryInvalidPurpose(Purpose purpose);
    /// @notice `sizeLog2` is outside `[minLog2, maxLog2]`.
    error StatusRegistryInvalidSize(uint8 sizeLog2, uint8 minLog2, uint8 maxLog2);
    /// @notice `identity` is not a registered issuer in the accreditation registry.
    error StatusRegistryNotIssuer(address identity);
    /// @notice The zero address was given where an address is required.
    error StatusRegistryZeroAddress();
    /// @notice A batch was empty, its arrays disagree in length, or it exceeds `max` words.
    error StatusRegistryBadBatch(uint256 wordIndexes, uint256 masks, uint256 max);
    /// @notice A batch's word indexes are not strictly increasing at position `position`.
    error StatusRegistryUnsortedBatch(uint256 position);
    /// @notice A batch mask for `wordIndex` selects no entry.
    error StatusRegistryEmptyMask(uint256 wordIndex);
    /// @notice A status change was attempted without a reason code (0 is not a reason).
    error StatusRegistryMissingReason();
    /// @notice More than `max` operators, or more than `max` words in one read.
    error StatusRegistryTooMany(uint256 count, uint256 max);

    /// @notice A list was created.
    event StatusListCreated(
        uint256 indexed listId, address indexed issuer, Purpose purpose, uint256 size, address sender
    );
    /// @notice `operator` was allowed (or no longer allowed) to write list `listId`.
    event StatusListOperatorSet(uint256 indexed listId, address indexed operator, bool allowed, address sender);
    /// @notice Entry `index` of list `listId` was set (revoked or suspended), for `reason`.
    /// @dev One event per direction rather than a `value` field: a single write is the hot path, and a data
    /// word costs 256 gas on every revocation.
    event StatusEntrySet(uint256 indexed listId, uint256 index, uint32 reason);
    /// @notice Entry `index` of suspension list `listId` was cleared (reinstated), for `reason`.
    event StatusEntryCleared(uint256 indexed listId, uint256 index, uint32 reason);
    /// @notice For each i, the entries selected by `masks[i]` in word `wordIndexes[i]` (entry `w*256 + b` is
    /// bit `b` of word `w`) were set, for `reason`.
    event StatusWordsSet(uint256 indexed listId, uint32 reason, uint256[] wordIndexes, uint256[] masks);
    /// @notice As `StatusWordsSet`, but the selected entries were cleared.
    event StatusWordsCleared(uint256 indexed listId, uint32 reason, uint256[] wordIndexes, uint256[] masks);

    /// @notice Creates a list of `2**sizeLog2` entries for `purpose`, owned by the registered issuer `issuer`,
    /// and names its first `operators`. Only the issuer's owner key. Returns the new list's id (from 1).
    function createList(address issuer, Purpose purpose, uint8 sizeLog2, address[] calldata operators)
        external
        returns (uint256 listId);

    /// @notice Allows or disallows `operator` to write list `listId`. Only the issuer's owner key.
    function setOperator(uint256 listId, address operator, bool allowed) external;

    /// @notice Revokes entry `index` of revocation list `listId`. Revoking a revoked entry changes nothing.
    function revoke(uint256 listId, uint256 index, uint32 reason) external;

    /// @notice Suspends entry `index` of suspension list `listId`.
    function suspend(uint256 listId, uint256 index, uint32 reason) external;

    /// @notice Clears entry `index` of suspension list `listId`.
    function reinstate(uint256 listId, uint256 index, uint32 reason) external;

    /// @notice Revokes every entry selected by `masks[i]` in word `wordIndexes[i]` (strictly increasing).
    function revokeBatch(uint256 listId, uint256[] calldata wordIndexes, uint256[] calldata masks, uint32 reason)
        external;

    /// @notice Suspends every entry selected by the masks, as in `revokeBatch`.
    function suspendBatch(uint256 listId, uint256[] calldata wordIndexes, uint256[] calldata masks, uint32 reason)
        external;

    /// @notice Clears every entry selected by the masks, as in `revokeBatch`.
    function reinstateBatch(
        uint256 listId,
        uint256[] calldata wordIndexes,
        uint256[] calldata masks,
        uint32 reason
    ) external;

    /// @notice The list `listId`; reverts for an unknown list.
    function statusList(uint256 listId) external view returns (StatusList memory);

    /// @notice How many lists exist (ids run from 1 to this number).
    function listCount() external view returns (uint256);

    /// @notice Whether `operator` may write list `listId` as a named operator.
    function isOperator(uint256 listId, address operator) external view returns (bool);

    /// @notice One call for a verifier: entry `index` of list `listId`, with the list's issuer and purpose.
    /// Reverts for an unknown list or an index out of range.
    function entryStatus(uint256 listId, uint256 index)
        external
        view
        returns (bool set, address issuer, Purpose purpose);

    /// @notice `count` words of list `listId` from word `fromWord` (at most 4,096 words per call).
    function words(uint256 listId, uint256 fromWord, uint256 count) external view returns (uint256[] memory);
}
