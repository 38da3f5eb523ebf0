// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";

import {DIDRegistry} from "../../../contracts/DIDRegistry.sol";
import {StatusRegistry} from "../../../contracts/StatusRegistry.sol";
import {IStatusRegistry} from "../../../contracts/interfaces/IStatusRegistry.sol";

import {Base} from "../Base.t.sol";

// The handler lives in this file on purpose: `hardhat test solidity <file>` writes artifacts only for the test
// files it is given, and the invariant runner refuses a target (`targetSelector`) that has no artifact. A handler
// in its own file works only after a full build.

/// @notice Drives two lists of one issuer (a revocation list and a suspension list) with bounded random writes
/// by authorized writers (operators and the issuer's current key), and with calls that must fail: clearing a
/// revocation, writes by strangers, by another issuer, by removed operators and by rotated-away keys. It keeps
/// an exact model of both lists (a ghost copy) and counts every forbidden call that succeeded.
/// @dev Writes stay on a handful of words so that random actions collide on the same entries.
contract StatusListHandler is Test {
    StatusRegistry public immutable statusRegistry;
    DIDRegistry public immutable didRegistry;
    address public immutable issuer;
    address public immutable otherIssuer;
    uint256 public immutable revocationList;
    uint256 public immutable suspensionList;

    address[3] internal _operatorPool;
    mapping(uint256 listId => mapping(address operator => bool)) public allowed;

    address public issuerKey;
    address[] internal _formerKeys;
    uint256 internal _keyCounter;

    /// @dev The words that actions may touch; both models are exact for these and zero elsewhere.
    uint256[6] internal _wordSet = [uint256(0), 1, 2, 255, 510, 511];

    // Ghost state.
    mapping(uint256 word => uint256 mask) public revokedModel; // OR of every bit ever revoked
    mapping(uint256 word => uint256 mask) public suspendedModel;
    uint256 public unexpectedSuccesses; // forbidden calls that went through
    uint256 public unexpectedFailures; // authorized writes that were refused
    uint256 public revocations;
    uint256 public forbiddenAttempts;
    uint256 public rotations;

    constructor(
        StatusRegistry statusRegistry_,
        DIDRegistry didRegistry_,
        address issuer_,
        address otherIssuer_,
        uint256 revocationList_,
        uint256 suspensionList_,
        address[3] memory operatorPool_
    ) {
        statusRegistry = statusRegistry_;
        didRegistry = didRegistry_;
        issuer = issuer_;
        otherIssuer = otherIssuer_;
        issuerKey = didRegistry_.identityOwner(issuer_);
        revocationList = revocationList_;
        suspensionList = suspensionList_;
        _operatorPool = operatorPool_;
        for (uint256 i = 0; i < 3; ++i) {
            allowed[revocationList_][operatorPool_[i]] = statusRegistry_.isOperator(revocationList_, operatorPool_[i]);
            allowed[suspensionList_][operatorPool_[i]] = statusRegistry_.isOperator(suspensionList_, operatorPool_[i]);
        }
    }

    function wordSet() external view returns (uint256[6] memory) {
        return _wordSet;
    }

    // ---- authorized writes --------------------------------------------------------------------------------

    /// @dev An authorized writer of `listId`: an allowed operator, or the issuer's current owner key.
    function _writer(uint256 listId, uint256 seed) internal view returns (address) {
        uint256 start = seed % 4;
        for (uint256 i = 0; i < 4; ++i) {
            uint256 k = (start + i) % 4;
            if (k == 3) return issuerKey;
            if (allowed[listId][_operatorPool[k]]) return _operatorPool[k];
        }
        return issuerKey;
    }

    function _entry(uint256 seed) internal view returns (uint256 word, uint256 bit) {
        word = _wordSet[seed % 6];
        bit = (seed >> 8) % 256;
    }

    function _batch(uint256 seed) internal view returns (uint256[] memory wordIndexes, uint256[] memory masks) {
        // A random non-empty subset of the word set, in increasing order.
        uint256 pick = (seed % 63) + 1;
        uint256 n;
        for (uint256 i = 0; i < 6; ++i) {
            if ((pick >> i) & 1 == 1) ++n;
        }
        wordIndexes = new uint256[](n);
        masks = new uint256[](n);
        uint256 j;
        for (uint256 i = 0; i < 6; ++i) {
            if ((pick >> i) & 1 == 0) continue;
            wordIndexes[j] = _wordSet[i];
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 mask = r % 3 == 0 ? r : uint256(1) << (r % 256); // dense or one entry
            masks[j] = mask == 0 ? 1 : mask;
            ++j;
        }
    }

    function revoke(uint256 entrySeed, uint256 writerSeed, uint32 reason) external {
        (uint256 word, uint256 bit) = _entry(entrySeed);
        vm.prank(_writer(revocationList, writerSeed));
        try statusRegistry.revoke(revocationList, word * 256 + bit, uint32(bound(reason, 1, type(uint32).max))) {
            revokedModel[word] |= uint256(1) << bit;
            ++revocations;
        } catch {
            ++unexpectedFailures;
        }
    }

    function revokeBatch(uint256 seed, uint256 writerSeed) external {
        (uint256[] memory wordIndexes, uint256[] memory masks) = _batch(seed);
        vm.prank(_writer(revocationList, writerSeed));
        try statusRegistry.revokeBatch(revocationList, wordIndexes, masks, 1) {
            for (uint256 i = 0; i < wordIndexes.length; ++i) {
                revokedModel[wordIndexes[i]] |= masks[i];
            }
            ++revocations;
        } catch {
            ++unexpectedFailures;
        }
    }

    function suspend(uint256 entrySeed, uint256 writerSeed) external {
        (uint256 word, uint256 bit) = _entry(entrySeed);
        vm.prank(_writer(suspensionList, writerSeed));
        try statusRegistry.suspend(suspensionList, word * 256 + bit, 2) {
            suspendedModel[word] |= uint256(1) << bit;
        } catch {
            ++unexpectedFailures;
        }
    }

    function reinstate(uint256 entrySeed, uint256 writerSeed) external {
        (uint256 word, uint256 bit) = _entry(entrySeed);
        vm.prank(_writer(suspensionList, writerSeed));
        try statusRegistry.reinstate(suspensionList, word * 256 + bit, 3) {
            suspendedModel[word] &= ~(uint256(1) << bit);
        } catch {
            ++unexpectedFailures;
        }
    }

    function suspendOrReinstateBatch(uint256 seed, uint256 writerSeed, bool set) external {
        (uint256[] memory wordIndexes, uint256[] memory masks) = _batch(seed);
        vm.prank(_writer(suspensionList, writerSeed));
        bool ok;
        if (set) {
            try statusRegistry.suspendBatch(suspensionList, wordIndexes, masks, 2) {
                ok = true;
            } catch {}
        } else {
            try statusRegistry.reinstateBatch(suspensionList, wordIndexes, masks, 3) {
                ok = true;
            } catch {}
        }
        if (!ok) {
            ++unexpectedFailures;
            return;
        }
        for (uint256 i = 0; i < wordIndexes.length; ++i) {
            if (set) suspendedModel[wordIndexes[i]] |= masks[i];
            else suspendedModel[wordIndexes[i]] &= ~masks[i];
        }
    }

    // ---- key and operator management ----------------------------------------------------------------------

    function rotateIssuerKey() external {
        address newKey = vm.addr(0xC0FFEE + ++_keyCounter);
        vm.prank(issuerKey);
        didRegistry.changeOwner(issuer, newKey);
        _formerKeys.push(issuerKey);
        issuerKey = newKey;
        ++rotations;
    }

    function setOperator(uint256 operatorSeed, bool allow, bool onRevocationList) external {
        uint256 listId = onRevocationList ? revocationList : suspensionList;
        address op = _operatorPool[operatorSeed % 3];
        vm.prank(issuerKey);
        try statusRegistry.setOperator(listId, op, allow) {
            allowed[listId][op] = allow;
        } catch {
            ++unexpectedFailures;
        }
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 30 days));
    }

    // ---- calls that must fail -----------------------------------------------------------------------------

    /// @dev Any writer, including the issuer's own key, tries to clear revoked entries.
    function clearRevocation(uint256 entrySeed, uint256 writerSeed, bool batch) external {
        (uint256 word, uint256 bit) = _entry(entrySeed);
        vm.prank(_writer(revocationList, writerSeed));
        ++forbiddenAttempts;
        if (batch) {
            uint256[] memory wordIndexes = new uint256[](1);
            uint256[] memory masks = new uint256[](1);
            wordIndexes[0] = word;
            masks[0] = type(uint256).max;
            try statusRegistry.reinstateBatch(revocationList, wordIndexes, masks, 3) {
                ++unexpectedSuccesses;
            } catch {}
        } else {
            try statusRegistry.reinstate(revocationList, word * 256 + bit, 3) {
                ++unexpectedSuccesses;
            } catch {}
        }
    }

    /// @dev A caller without any role over the lists: a stranger, the other issuer, a removed operator, or a
    /// key the issuer rotated away from.
    function _forbiddenCaller(uint256 listId, uint256 seed) internal view returns (address caller) {
        uint256 kind = seed % 4;
        if (kind == 1) return otherIssuer;
        if (kind == 2 && _formerKeys.length > 0) return _formerKeys[(seed >> 8) % _formerKeys.length];
        if (kind == 3) {
            for (uint256 i = 0; i < 3; ++i) {
                address op = _operatorPool[i];
                if (!allowed[listId][op] && op != issuerKey) return op;
            }
        }
        caller = address(uint160(uint256(keccak256(abi.encode("stranger", seed)))));
    }

    function forbiddenWrite(uint256 callerSeed, uint256 entrySeed, uint256 op) external {
        uint256 listId = op % 2 == 0 ? revocationList : suspensionList;
        address caller = _forbiddenCaller(listId, callerSeed);
        // A rotated-away key might have been named an operator later, or be the key again: skip those.
        if (allowed[listId][caller] || caller == issuerKey) return;
        (uint256 word, uint256 bit) = _entry(entrySeed);
        uint256[] memory wordIndexes = new uint256[](1);
        uint256[] memory masks = new uint256[](1);
        wordIndexes[0] = word;
        masks[0] = uint256(1) << bit;
        ++forbiddenAttempts;
        vm.startPrank(caller);
        uint256 which = (op >> 1) % 7;
        bool ok;
        if (which == 0) {
            try statusRegistry.revoke(listId, word * 256 + bit, 1) {
                ok = true;
            } catch {}
        } else if (which == 1) {
            try statusRegistry.suspend(listId, word * 256 + bit, 2) {
                ok = true;
            } catch {}
        } else if (which == 2) {
            try statusRegistry.reinstate(listId, word * 256 + bit, 3) {
                ok = true;
            } catch {}
        } else if (which == 3) {
            try statusRegistry.revokeBatch(listId, wordIndexes, masks, 1) {
                ok = true;
            } catch {}
        } else if (which == 4) {
            try statusRegistry.suspendBatch(listId, wordIndexes, masks, 2) {
                ok = true;
            } catch {}
        } else if (which == 5) {
            try statusRegistry.reinstateBatch(listId, wordIndexes, masks, 3) {
                ok = true;
            } catch {}
        } else {
            // Naming oneself an operator is the owner key's privilege.
            try statusRegistry.setOperator(listId, caller, true) {
                ok = true;
            } catch {}
        }
        vm.stopPrank();
        if (ok) ++unexpectedSuccesses;
    }
}

/// @notice Invariants of the status lists under random writes, operator changes, key rotations, time warps
/// and forbidden calls (see `StatusListHandler`).
contract StatusRegistryInvariantTest is StdInvariant, Base {
    StatusListHandler internal handler;
    uint256 internal revocationList;
    uint256 internal suspensionList;
    IStatusRegistry.StatusList internal revocationRecord;
    IStatusRegistry.StatusList internal suspensionRecord;

    function setUp() public override {
        super.setUp();
        _deployNetwork();
        address[3] memory pool =
            [operator, makeAddr("operator: backup service"), makeAddr("operator: emergency desk")];
        address[] memory initial = new address[](2);
        initial[0] = pool[0];
        initial[1] = pool[1];
        revocationList = _createList(university, IStatusRegistry.Purpose.Revocation, LIST_LOG2, initial);
        suspensionList = _createList(university, IStatusRegistry.Purpose.Suspension, LIST_LOG2, initial);
        revocationRecord = statusRegistry.statusList(revocationList);
        suspensionRecord = statusRegistry.statusList(suspensionList);

        handler = new StatusListHandler(
            statusRegistry, didRegistry, university, licensingOffice, revocationList, suspensionList, pool
        );
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](11);
        selectors[0] = StatusListHandler.revoke.selector;
        selectors[1] = StatusListHandler.revokeBatch.selector;
        selectors[2] = StatusListHandler.suspend.selector;
        selectors[3] = StatusListHandler.reinstate.selector;
        selectors[4] = StatusListHandler.suspendOrReinstateBatch.selector;
        selectors[5] = StatusListHandler.rotateIssuerKey.selector;
        selectors[6] = StatusListHandler.setOperator.selector;
        selectors[7] = StatusListHandler.warp.selector;
        selectors[8] = StatusListHandler.clearRevocation.selector;
        selectors[9] = StatusListHandler.forbiddenWrite.selector;
        selectors[10] = StatusListHandler.forbiddenWrite.selector; // twice: forbidden calls are half the point
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev The whole revocation list: every bit ever revoked is still set, and nothing else is.
    function invariant_revokedEntriesNeverBecomeUnrevoked() public view {
        uint256[] memory words = statusRegistry.words(revocationList, 0, LIST_WORDS);
        uint256[6] memory touched = handler.wordSet();
        for (uint256 i = 0; i < touched.length; ++i) {
            uint256 w = touched[i];
            uint256 revoked = handler.revokedModel(w);
            assertEq(words[w] & revoked, revoked, "a revoked entry was cleared");
            assertEq(words[w], revoked, "revocation list equals the ghost copy");
            words[w] = 0;
        }
        for (uint256 w = 0; w < words.length; ++w) {
            assertEq(words[w], 0, "no write outside the touched words");
        }
    }

    function invariant_suspensionListMatchesModel() public view {
        uint256[] memory words = statusRegistry.words(suspensionList, 0, LIST_WORDS);
        uint256[6] memory touched = handler.wordSet();
        for (uint256 i = 0; i < touched.length; ++i) {
            uint256 w = touched[i];
            assertEq(words[w], handler.suspendedModel(w), "suspension list equals the ghost copy");
            words[w] = 0;
        }
        for (uint256 w = 0; w < words.length; ++w) {
            assertEq(words[w], 0, "no write outside the touched words");
        }
    }

    /// @dev No stranger, other issuer, removed operator or rotated-away key ever wrote; no write ever cleared a
    /// revocation; and every authorized write went through.
    function invariant_onlyAuthorizedWritersChangeState() public view {
        assertEq(handler.unexpectedSuccesses(), 0, "a forbidden call succeeded");
        assertEq(handler.unexpectedFailures(), 0, "an authorized write was refused");
    }

    function invariant_listRecordsNeverChange() public view {
        assertEq(statusRegistry.listCount(), 2, "no list created by the actions");
        _assertSameList(statusRegistry.statusList(revocationList), revocationRecord);
        _assertSameList(statusRegistry.statusList(suspensionList), suspensionRecord);
    }

    function _assertSameList(IStatusRegistry.StatusList memory a, IStatusRegistry.StatusList memory b)
        internal
        pure
    {
        assertEq(a.issuer, b.issuer, "issuer");
        assertEq(a.purpose, b.purpose, "purpose");
        assertEq(a.sizeLog2, b.sizeLog2, "sizeLog2");
        assertEq(a.createdAt, b.createdAt, "createdAt");
        assertEq(a.createdBlock, b.createdBlock, "createdBlock");
    }
}
