// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IStatusRegistry} from "../../contracts/interfaces/IStatusRegistry.sol";

import {Base} from "./Base.t.sol";

/// @notice Property tests of the status lists: single writes touch exactly one bit, batches are the OR (or the
/// AND NOT) of their masks, and nobody but the issuer's key and its operators writes anything.
contract StatusRegistryFuzzTest is Base {
    uint256 internal revocationList;
    uint256 internal suspensionList;

    IStatusRegistry.Purpose internal constant REVOCATION = IStatusRegistry.Purpose.Revocation;
    IStatusRegistry.Purpose internal constant SUSPENSION = IStatusRegistry.Purpose.Suspension;

    function setUp() public override {
        super.setUp();
        _deployNetwork();
        revocationList = _createList(university, REVOCATION, LIST_LOG2, _addresses(operator));
        suspensionList = _createList(university, SUSPENSION, LIST_LOG2, _addresses(operator));
    }

    function _isSet(uint256 listId, uint256 index) internal view returns (bool set) {
        (set,,) = statusRegistry.entryStatus(listId, index);
    }

    function _wholeList(uint256 listId) internal view returns (uint256[] memory) {
        return statusRegistry.words(listId, 0, LIST_WORDS);
    }

    /// @dev Strictly increasing word indexes below `LIST_WORDS` with non-zero masks, from a seed.
    function _randomBatch(uint256 seed, uint256 n)
        internal
        pure
        returns (uint256[] memory wordIndexes, uint256[] memory masks)
    {
        wordIndexes = new uint256[](n);
        masks = new uint256[](n);
        uint256 next = 0;
        uint256 count = 0;
        for (uint256 i = 0; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            next += r % 48; // gaps of 0..47 words
            if (next >= LIST_WORDS) break;
            wordIndexes[count] = next;
            // Sparse or dense masks; never empty.
            uint256 mask = (r >> 8) % 2 == 0 ? uint256(1) << ((r >> 16) % 256) : r >> 8;
            masks[count] = mask == 0 ? 1 : mask;
            ++count;
            ++next;
        }
        assembly {
            mstore(wordIndexes, count)
            mstore(masks, count)
        }
    }

    // ---- single entries -----------------------------------------------------------------------------------

    function testFuzz_revoke_roundTripsAndTouchesNoOtherEntry(uint8 sizeLog2, uint256 index, uint256 other) public {
        sizeLog2 = uint8(bound(sizeLog2, 17, 24));
        uint256 size = uint256(1) << sizeLog2;
        uint256 listId = _createList(university, REVOCATION, sizeLog2, _addresses(operator));
        index = bound(index, 0, size - 1);
        other = bound(other, 0, size - 1);
        if (other == index) other = (index + 1) % size;

        vm.prank(operator);
        statusRegistry.revoke(listId, index, REASON_REVOKE);

        assertTrue(_isSet(listId, index), "revoked");
        assertFalse(_isSet(listId, other), "no other entry");
        assertEq(statusRegistry.words(listId, index >> 8, 1)[0], uint256(1) << (index & 0xff), "exactly one bit");
        // Neighbouring words stay empty.
        if (index >> 8 > 0) assertEq(statusRegistry.words(listId, (index >> 8) - 1, 1)[0], 0, "word below");
        if ((index >> 8) + 1 < size >> 8) {
            assertEq(statusRegistry.words(listId, (index >> 8) + 1, 1)[0], 0, "word above");
        }
    }

    function testFuzz_revoke_revertsOutOfRange(uint8 sizeLog2, uint256 index) public {
        sizeLog2 = uint8(bound(sizeLog2, 17, 24));
        uint256 size = uint256(1) << sizeLog2;
        uint256 listId = _createList(university, REVOCATION, sizeLog2, _addresses(operator));
        index = bound(index, size, type(uint256).max);
        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryIndexOutOfRange.selector, listId, index, size)
        );
        vm.prank(operator);
        statusRegistry.revoke(listId, index, REASON_REVOKE);
    }

    function testFuzz_suspendThenReinstate_restoresTheList(uint256 index, uint256 kept) public {
        index = bound(index, 0, LIST_SIZE - 1);
        kept = bound(kept, 0, LIST_SIZE - 1);
        vm.assume(kept != index);
        vm.startPrank(operator);
        statusRegistry.suspend(suspensionList, kept, REASON_SUSPEND);
        statusRegistry.suspend(suspensionList, index, REASON_SUSPEND);
        assertTrue(_isSet(suspensionList, index), "suspended");
        statusRegistry.reinstate(suspensionList, index, REASON_REINSTATE);
        vm.stopPrank();
        assertFalse(_isSet(suspensionList, index), "reinstated");
        assertTrue(_isSet(suspensionList, kept), "the other suspension is kept");
    }

    function testFuzz_reinstate_neverClearsARevocation(uint256 index, bool batch) public {
        index = bound(index, 0, LIST_SIZE - 1);
        vm.prank(operator);
        statusRegistry.revoke(revocationList, index, REASON_REVOKE);

        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryRevocationIsPermanent.selector, revocationList)
        );
        vm.prank(university);
        if (batch) {
            statusRegistry.reinstateBatch(
                revocationList, _uints(index >> 8), _uints(uint256(1) << (index & 0xff)), REASON_REINSTATE
            );
        } else {
            statusRegistry.reinstate(revocationList, index, REASON_REINSTATE);
        }
        assertTrue(_isSet(revocationList, index), "still revoked");
    }

    // ---- batches ------------------------------------------------------------------------------------------

    function testFuzz_revokeBatch_equalsTheOrOfItsMasks(uint256 preSeed, uint256 seed, uint256 n) public {
        n = bound(n, 1, 24);
        // Some entries are revoked beforehand, then a second batch lands on top.
        (uint256[] memory preWords, uint256[] memory preMasks) = _randomBatch(preSeed, 12);
        (uint256[] memory wordIndexes, uint256[] memory masks) = _randomBatch(seed, n);
        uint256[] memory model = new uint256[](LIST_WORDS);
        vm.startPrank(operator);
        if (preWords.length > 0) {
            statusRegistry.revokeBatch(revocationList, preWords, preMasks, REASON_REVOKE);
            for (uint256 i = 0; i < preWords.length; ++i) {
                model[preWords[i]] |= preMasks[i];
            }
        }
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);
        vm.stopPrank();
        for (uint256 i = 0; i < wordIndexes.length; ++i) {
            model[wordIndexes[i]] |= masks[i];
        }
        assertEq(_wholeList(revocationList), model, "every word is the OR of the masks written to it");
        if (wordIndexes.length > 0) {
            uint256 w = wordIndexes[0];
            uint256 bit = 0;
            while ((masks[0] >> bit) & 1 == 0) ++bit;
            assertTrue(_isSet(revocationList, w * 256 + bit), "entry w*256+b is bit b of word w");
        }
    }

    function testFuzz_reinstateBatch_clearsExactlyItsMasks(uint256 preSeed, uint256 seed, uint256 n) public {
        n = bound(n, 1, 24);
        (uint256[] memory preWords, uint256[] memory preMasks) = _randomBatch(preSeed, 24);
        (uint256[] memory wordIndexes, uint256[] memory masks) = _randomBatch(seed, n);
        uint256[] memory model = new uint256[](LIST_WORDS);
        vm.startPrank(operator);
        statusRegistry.suspendBatch(suspensionList, preWords, preMasks, REASON_SUSPEND);
        for (uint256 i = 0; i < preWords.length; ++i) {
            model[preWords[i]] |= preMasks[i];
        }
        statusRegistry.reinstateBatch(suspensionList, wordIndexes, masks, REASON_REINSTATE);
        vm.stopPrank();
        for (uint256 i = 0; i < wordIndexes.length; ++i) {
            model[wordIndexes[i]] &= ~masks[i];
        }
        assertEq(_wholeList(suspensionList), model, "every word lost exactly its masked bits");
    }

    function testFuzz_batch_revertsUnlessStrictlyIncreasing(uint256 first, uint256 second) public {
        first = bound(first, 0, LIST_WORDS - 1);
        second = bound(second, 0, first); // not greater than the previous index
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnsortedBatch.selector, 1));
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, _uints(first, second), _uints(1, 1), REASON_REVOKE);
    }

    function testFuzz_batch_revertsForWordOutOfRange(uint256 wordIndex) public {
        wordIndex = bound(wordIndex, LIST_WORDS, type(uint256).max);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryWordOutOfRange.selector, suspensionList, wordIndex, LIST_WORDS
            )
        );
        vm.prank(operator);
        statusRegistry.suspendBatch(suspensionList, _uints(wordIndex), _uints(1), REASON_SUSPEND);
    }

    // ---- authorization ------------------------------------------------------------------------------------

    function testFuzz_writes_revertForAnyoneButIssuerKeyAndOperators(address caller, uint256 op, uint256 index)
        public
    {
        vm.assume(caller != operator && caller != university);
        assumeNotForgeAddress(caller);
        index = bound(index, 0, LIST_SIZE - 1);
        op = bound(op, 0, 5);
        uint256 listId = op == 0 || op == 3 ? revocationList : suspensionList;
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnauthorized.selector, caller, listId));
        vm.prank(caller);
        if (op == 0) statusRegistry.revoke(listId, index, REASON_REVOKE);
        else if (op == 1) statusRegistry.suspend(listId, index, REASON_SUSPEND);
        else if (op == 2) statusRegistry.reinstate(listId, index, REASON_REINSTATE);
        else if (op == 3) statusRegistry.revokeBatch(listId, _uints(index >> 8), _uints(1), REASON_REVOKE);
        else if (op == 4) statusRegistry.suspendBatch(listId, _uints(index >> 8), _uints(1), REASON_SUSPEND);
        else statusRegistry.reinstateBatch(listId, _uints(index >> 8), _uints(1), REASON_REINSTATE);
    }

    function testFuzz_setOperator_revertsForAnyoneButIssuerKey(address caller, address newOperator, bool allowed)
        public
    {
        vm.assume(caller != university && newOperator != address(0));
        assumeNotForgeAddress(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryNotIssuerOwner.selector, caller, university)
        );
        vm.prank(caller);
        statusRegistry.setOperator(revocationList, newOperator, allowed);
    }

    // ---- reads --------------------------------------------------------------------------------------------

    function testFuzz_words_agreesWithEntryStatus(uint256 index, uint256 fromWord, uint256 count) public {
        index = bound(index, 0, LIST_SIZE - 1);
        vm.prank(operator);
        statusRegistry.revoke(revocationList, index, REASON_REVOKE);
        fromWord = bound(fromWord, 0, LIST_WORDS);
        count = bound(count, 0, LIST_WORDS - fromWord);
        uint256[] memory w = statusRegistry.words(revocationList, fromWord, count);
        assertEq(w.length, count, "length");
        for (uint256 i = 0; i < count; ++i) {
            uint256 expected = fromWord + i == index >> 8 ? uint256(1) << (index & 0xff) : 0;
            assertEq(w[i], expected, "word");
        }
    }

    function testFuzz_words_revertsPastTheEnd(uint256 fromWord, uint256 count) public {
        count = bound(count, 0, statusRegistry.MAX_READ_WORDS());
        fromWord = bound(fromWord, 0, type(uint256).max);
        vm.assume(fromWord > LIST_WORDS || count > LIST_WORDS - fromWord);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryWordOutOfRange.selector, revocationList, fromWord, LIST_WORDS
            )
        );
        statusRegistry.words(revocationList, fromWord, count);
    }
}
