// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccreditationRegistry} from "./interfaces/IAccreditationRegistry.sol";
import {IIdentityRegistry} from "./interfaces/IIdentityRegistry.sol";
import {IStatusRegistry} from "./interfaces/IStatusRegistry.sol";
import {IdentityOwner} from "./libraries/IdentityOwner.sol";

/// @title StatusRegistry
/// @notice Revocation and suspension bit lists, owned by registered issuers. No holder data: a list is a
/// large array of anonymous bits, and a credential points at a random bit.
/// @dev Gas shapes the layout. A list's words live in one flat mapping keyed by `(listId << 32) | word`
/// (one keccak per word). An operator's authorization slot also caches the list's immutable purpose and size,
/// so a write by an operator reads exactly one slot besides the word it changes. The issuer's own owner key
/// is the slower path (list record + ERC-1056 lookup), for setup and emergencies.
contract StatusRegistry is IStatusRegistry {
    using IdentityOwner for IIdentityRegistry;

    /// @notice Smallest and largest list sizes, as powers of two (131,072 to 16,777,216 entries).
    uint8 public constant MIN_SIZE_LOG2 = 17;
    uint8 public constant MAX_SIZE_LOG2 = 24;
    /// @notice Most words in one batch write (262,144 entries), and in one `words` read.
    uint256 public constant MAX_BATCH_WORDS = 1024;
    uint256 public constant MAX_READ_WORDS = 4096;
    /// @notice Most operators named at creation.
    uint256 public constant MAX_INITIAL_OPERATORS = 8;

    IIdentityRegistry private immutable _identityRegistry;
    IAccreditationRegistry private immutable _accreditationRegistry;

    /// @dev Packed list record: issuer 0-159 | purpose 160-167 | sizeLog2 168-175 | createdAt 176-215 |
    /// createdBlock 216-255.
    mapping(uint256 listId => uint256) private _lists;
    /// @dev Non-zero when allowed: 1 | purpose << 8 | sizeLog2 << 16 (a copy of the list's immutable fields).
    mapping(uint256 listId => mapping(address operator => uint256)) private _operators;
    /// @dev Status words, keyed by `(listId << 32) | wordIndex`; entry `i` is bit `i % 256` of word `i / 256`.
    mapping(uint256 key => uint256) private _words;
    uint256 private _listCount;

    constructor(IIdentityRegistry identityRegistry_, IAccreditationRegistry accreditationRegistry_) {
        if (address(identityRegistry_) == address(0) || address(accreditationRegistry_) == address(0)) {
            revert StatusRegistryZeroAddress();
        }
        _identityRegistry = identityRegistry_;
        _accreditationRegistry = accreditationRegistry_;
    }

    /// @notice The ERC-1056 registry and the accreditation registry this registry answers to.
    function registries() external view returns (IIdentityRegistry, IAccreditationRegistry) {
        return (_identityRegistry, _accreditationRegistry);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lists and operators
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IStatusRegistry
    function createList(address issuer, Purpose purpose, uint8 sizeLog2, address[] calldata operators)
        external
        returns (uint256 listId)
    {
        _checkIssuerOwner(issuer);
        if (_accreditationRegistry.party(issuer).role != IAccreditationRegistry.Role.Issuer) {
            revert StatusRegistryNotIssuer(issuer);
        }
        if (purpose != Purpose.Revocation && purpose != Purpose.Suspension) {
            revert StatusRegistryInvalidPurpose(purpose);
        }
        if (sizeLog2 < MIN_SIZE_LOG2 || sizeLog2 > MAX_SIZE_LOG2) {
            revert StatusRegistryInvalidSize(sizeLog2, MIN_SIZE_LOG2, MAX_SIZE_LOG2);
        }
        uint256 operatorCount = operators.length;
        if (operatorCount > MAX_INITIAL_OPERATORS) revert StatusRegistryTooMany(operatorCount, MAX_INITIAL_OPERATORS);
        listId = ++_listCount;
        _lists[listId] = uint256(uint160(issuer)) | (uint256(uint8(purpose)) << 160) | (uint256(sizeLog2) << 168)
            | (uint256(uint40(block.timestamp)) << 176) | (uint256(uint40(block.number)) << 216);
        emit StatusListCreated(listId, issuer, purpose, uint256(1) << sizeLog2, msg.sender);
        uint256 grant = _operatorGrant(purpose, sizeLog2);
        for (uint256 i = 0; i < operatorCount; ++i) {
            _setOperator(listId, operators[i], grant);
        }
    }

    /// @inheritdoc IStatusRegistry
    function setOperator(uint256 listId, address operator, bool allowed) external {
        uint256 list = _requireList(listId);
        _checkIssuerOwner(address(uint160(list)));
        _setOperator(listId, operator, allowed ? _operatorGrant(Purpose(uint8(list >> 160)), uint8(list >> 168)) : 0);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writes
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IStatusRegistry
    function revoke(uint256 listId, uint256 index, uint32 reason) external {
        _writeEntry(listId, index, reason, Purpose.Revocation, true);
    }

    /// @inheritdoc IStatusRegistry
    function suspend(uint256 listId, uint256 index, uint32 reason) external {
        _writeEntry(listId, index, reason, Purpose.Suspension, true);
    }

    /// @inheritdoc IStatusRegistry
    function reinstate(uint256 listId, uint256 index, uint32 reason) external {
        _writeEntry(listId, index, reason, Purpose.Suspension, false);
    }

    /// @inheritdoc IStatusRegistry
    function revokeBatch(uint256 listId, uint256[] calldata wordIndexes, uint256[] calldata masks, uint32 reason)
        external
    {
        _writeWords(listId, wordIndexes, masks, reason, Purpose.Revocation, true);
    }

    /// @inheritdoc IStatusRegistry
    function suspendBatch(uint256 listId, uint256[] calldata wordIndexes, uint256[] calldata masks, uint32 reason)
        external
    {
        _writeWords(listId, wordIndexes, masks, reason, Purpose.Suspension, true);
    }

    /// @inheritdoc IStatusRegistry
    function reinstateBatch(
        uint256 listId,
        uint256[] calldata wordIndexes,
        uint256[] calldata masks,
        uint32 reason
    ) external {
        _writeWords(listId, wordIndexes, masks, reason, Purpose.Suspension, false);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IStatusRegistry
    function statusList(uint256 listId) external view returns (StatusList memory) {
        uint256 list = _requireList(listId);
        return StatusList({
            issuer: address(uint160(list)),
            purpose: Purpose(uint8(list >> 160)),
            sizeLog2: uint8(list >> 168),
            createdAt: uint40(list >> 176),
            createdBlock: uint64(uint40(list >> 216))
        });
    }

    /// @inheritdoc IStatusRegistry
    function listCount() external view returns (uint256) {
        return _listCount;
    }

    /// @inheritdoc IStatusRegistry
    function isOperator(uint256 listId, address operator) external view returns (bool) {
        return _operators[listId][operator] != 0;
    }

    /// @inheritdoc IStatusRegistry
    function entryStatus(uint256 listId, uint256 index)
        external
        view
        returns (bool set, address issuer, Purpose purpose)
    {
        uint256 list = _requireList(listId);
        uint256 size = uint256(1) << uint8(list >> 168);
        if (index >= size) revert StatusRegistryIndexOutOfRange(listId, index, size);
        set = (_words[(listId << 32) | (index >> 8)] >> (index & 0xff)) & 1 == 1;
        return (set, address(uint160(list)), Purpose(uint8(list >> 160)));
    }

    /// @inheritdoc IStatusRegistry
    function words(uint256 listId, uint256 fromWord, uint256 count) external view returns (uint256[] memory out) {
        uint256 list = _requireList(listId);
        if (count > MAX_READ_WORDS) revert StatusRegistryTooMany(count, MAX_READ_WORDS);
        uint256 wordCount = uint256(1) << (uint8(list >> 168) - 8);
        if (fromWord > wordCount || count > wordCount - fromWord) {
            // Report the first word asked for (adding `count` could overflow for absurd inputs).
            revert StatusRegistryWordOutOfRange(listId, fromWord, wordCount);
        }
        out = new uint256[](count);
        uint256 base = (listId << 32) | fromWord;
        for (uint256 i = 0; i < count; ++i) {
            out[i] = _words[base + i];
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    function _writeEntry(uint256 listId, uint256 index, uint32 reason, Purpose expected, bool value) private {
        uint256 grant = _writerGrant(listId);
        _checkPurpose(listId, grant, expected, value);
        if (reason == 0) revert StatusRegistryMissingReason();
        uint256 size = uint256(1) << uint8(grant >> 16);
        if (index >= size) revert StatusRegistryIndexOutOfRange(listId, index, size);
        uint256 key = (listId << 32) | (index >> 8);
        uint256 bit = uint256(1) << (index & 0xff);
        if (value) {
            _words[key] |= bit;
            emit StatusEntrySet(listId, index, reason);
        } else {
            _words[key] &= ~bit;
            emit StatusEntryCleared(listId, index, reason);
        }
    }

    function _writeWords(
        uint256 listId,
        uint256[] calldata wordIndexes,
        uint256[] calldata masks,
        uint32 reason,
        Purpose expected,
        bool value
    ) private {
        uint256 grant = _writerGrant(listId);
        _checkPurpose(listId, grant, expected, value);
        if (reason == 0) revert StatusRegistryMissingReason();
        uint256 n = wordIndexes.length;
        if (n == 0 || n != masks.length || n > MAX_BATCH_WORDS) {
            revert StatusRegistryBadBatch(n, masks.length, MAX_BATCH_WORDS);
        }
        uint256 wordCount = uint256(1) << (uint8(grant >> 16) - 8);
        uint256 base = listId << 32;
        uint256 previous;
        for (uint256 i = 0; i < n;) {
            uint256 w = wordIndexes[i];
            uint256 mask = masks[i];
            if (i != 0 && w <= previous) revert StatusRegistryUnsortedBatch(i);
            if (w >= wordCount) revert StatusRegistryWordOutOfRange(listId, w, wordCount);
            if (mask == 0) revert StatusRegistryEmptyMask(w);
            if (value) _words[base | w] |= mask;
            else _words[base | w] &= ~mask;
            previous = w;
            // i < n <= MAX_BATCH_WORDS: cannot overflow.
            unchecked {
                ++i;
            }
        }
        if (value) emit StatusWordsSet(listId, reason, wordIndexes, masks);
        else emit StatusWordsCleared(listId, reason, wordIndexes, masks);
    }

    /// @dev The caller's grant for `listId`: its operator slot, or, for the issuer's owner key, one built from
    /// the list record. Reverts for anyone else, and for an unknown list.
    function _writerGrant(uint256 listId) private view returns (uint256 grant) {
        grant = _operators[listId][msg.sender];
        if (grant != 0) return grant;
        uint256 list = _requireList(listId);
        if (_identityRegistry.ownerOf(address(uint160(list))) != msg.sender) {
            revert StatusRegistryUnauthorized(msg.sender, listId);
        }
        return _operatorGrant(Purpose(uint8(list >> 160)), uint8(list >> 168));
    }

    function _checkPurpose(uint256 listId, uint256 grant, Purpose expected, bool value) private pure {
        Purpose actual = Purpose(uint8(grant >> 8));
        if (actual == expected) return;
        // Clearing an entry of a revocation list gets its own error: revocation is permanent.
        if (!value && actual == Purpose.Revocation) revert StatusRegistryRevocationIsPermanent(listId);
        revert StatusRegistryWrongPurpose(listId, expected, actual);
    }

    function _checkIssuerOwner(address issuer) private view {
        if (issuer == address(0)) revert StatusRegistryZeroAddress();
        if (_identityRegistry.ownerOf(issuer) != msg.sender) {
            revert StatusRegistryNotIssuerOwner(msg.sender, issuer);
        }
    }

    function _requireList(uint256 listId) private view returns (uint256 list) {
        list = _lists[listId];
        if (list == 0) revert StatusRegistryUnknownList(listId);
    }

    function _setOperator(uint256 listId, address operator, uint256 grant) private {
        if (operator == address(0)) revert StatusRegistryZeroAddress();
        _operators[listId][operator] = grant;
        emit StatusListOperatorSet(listId, operator, grant != 0, msg.sender);
    }

    function _operatorGrant(Purpose purpose, uint8 sizeLog2) private pure returns (uint256) {
        return 1 | (uint256(uint8(purpose)) << 8) | (uint256(sizeLog2) << 16);
    }
}
