// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {StatusRegistry} from "../../contracts/StatusRegistry.sol";
import {IAccreditationRegistry} from "../../contracts/interfaces/IAccreditationRegistry.sol";
import {IIdentityRegistry} from "../../contracts/interfaces/IIdentityRegistry.sol";
import {IStatusRegistry} from "../../contracts/interfaces/IStatusRegistry.sol";

import {Base} from "./Base.t.sol";

contract StatusRegistryTest is Base {
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

    function _expectUnauthorized(address caller, uint256 listId) internal {
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnauthorized.selector, caller, listId));
    }

    function _isSet(uint256 listId, uint256 index) internal view returns (bool set) {
        (set,,) = statusRegistry.entryStatus(listId, index);
    }

    function _word(uint256 listId, uint256 wordIndex) internal view returns (uint256) {
        return statusRegistry.words(listId, wordIndex, 1)[0];
    }

    // ---- constructor and constants ------------------------------------------------------------------------

    function test_constructor_revertsForZeroRegistries() public {
        vm.expectRevert(IStatusRegistry.StatusRegistryZeroAddress.selector);
        new StatusRegistry(IIdentityRegistry(address(0)), IAccreditationRegistry(address(registry)));
        vm.expectRevert(IStatusRegistry.StatusRegistryZeroAddress.selector);
        new StatusRegistry(_identities(), IAccreditationRegistry(address(0)));
    }

    function test_registries_namesBothRegistries() public view {
        (IIdentityRegistry identities, IAccreditationRegistry accreditations) = statusRegistry.registries();
        assertEq(address(identities), address(didRegistry), "identity registry");
        assertEq(address(accreditations), address(registry), "accreditation registry");
        assertEq(statusRegistry.MIN_SIZE_LOG2(), 17);
        assertEq(statusRegistry.MAX_SIZE_LOG2(), 24);
        assertEq(statusRegistry.MAX_BATCH_WORDS(), 1024);
        assertEq(statusRegistry.MAX_READ_WORDS(), 4096);
        assertEq(statusRegistry.MAX_INITIAL_OPERATORS(), 8);
    }

    // ---- createList ---------------------------------------------------------------------------------------

    function test_createList_recordsListOperatorsAndEmits() public {
        address second = makeAddr("operator: second service");
        address[] memory operators = new address[](2);
        operators[0] = operator;
        operators[1] = second;
        vm.roll(42);
        vm.warp(T0 + 7);

        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusListCreated(3, university, REVOCATION, uint256(1) << 20, university);
        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusListOperatorSet(3, operator, true, university);
        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusListOperatorSet(3, second, true, university);
        vm.prank(university);
        uint256 listId = statusRegistry.createList(university, REVOCATION, 20, operators);

        assertEq(listId, 3, "ids run from 1");
        assertEq(statusRegistry.listCount(), 3, "listCount");
        IStatusRegistry.StatusList memory l = statusRegistry.statusList(listId);
        assertEq(l.issuer, university, "issuer");
        assertEq(l.purpose, REVOCATION, "purpose");
        assertEq(l.sizeLog2, 20, "sizeLog2");
        assertEq(l.createdAt, T0 + 7, "createdAt");
        assertEq(l.createdBlock, 42, "createdBlock");
        assertTrue(statusRegistry.isOperator(listId, operator), "first operator");
        assertTrue(statusRegistry.isOperator(listId, second), "second operator");
        assertFalse(statusRegistry.isOperator(listId, stranger), "not an operator");
    }

    function test_createList_acceptsSizeBoundsAndNoOperators() public {
        uint256 smallest = _createList(university, SUSPENSION, 17, _noAddresses());
        uint256 largest = _createList(university, SUSPENSION, 24, _noAddresses());
        (bool set,,) = statusRegistry.entryStatus(largest, (uint256(1) << 24) - 1);
        assertFalse(set, "last entry of the largest list is readable");
        assertEq(statusRegistry.statusList(smallest).sizeLog2, 17);
    }

    function test_createList_revertsForKeyNotOwningIssuer() public {
        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryNotIssuerOwner.selector, stranger, university)
        );
        vm.prank(stranger);
        statusRegistry.createList(university, REVOCATION, LIST_LOG2, _noAddresses());

        // The university's operator is not its owner key.
        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryNotIssuerOwner.selector, operator, university)
        );
        vm.prank(operator);
        statusRegistry.createList(university, REVOCATION, LIST_LOG2, _noAddresses());
    }

    function test_createList_revertsForZeroIssuer() public {
        vm.expectRevert(IStatusRegistry.StatusRegistryZeroAddress.selector);
        vm.prank(university);
        statusRegistry.createList(address(0), REVOCATION, LIST_LOG2, _noAddresses());
    }

    function test_createList_revertsForPartyThatIsNotAnIssuer() public {
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryNotIssuer.selector, moe));
        vm.prank(moe);
        statusRegistry.createList(moe, REVOCATION, LIST_LOG2, _noAddresses());

        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryNotIssuer.selector, stranger));
        vm.prank(stranger);
        statusRegistry.createList(stranger, REVOCATION, LIST_LOG2, _noAddresses());
    }

    function test_createList_revertsForInvalidPurpose() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryInvalidPurpose.selector, IStatusRegistry.Purpose.None
            )
        );
        vm.prank(university);
        statusRegistry.createList(university, IStatusRegistry.Purpose.None, LIST_LOG2, _noAddresses());

        // A purpose outside the enum does not even decode.
        vm.prank(university);
        (bool ok,) = address(statusRegistry).call(
            abi.encodeWithSelector(
                IStatusRegistry.createList.selector, university, uint256(3), uint256(LIST_LOG2), _noAddresses()
            )
        );
        assertFalse(ok, "purpose 3 refused");
    }

    function test_createList_revertsForSizeBelowMinimum() public {
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryInvalidSize.selector, 16, 17, 24));
        vm.prank(university);
        statusRegistry.createList(university, REVOCATION, 16, _noAddresses());
    }

    function test_createList_revertsForSizeAboveMaximum() public {
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryInvalidSize.selector, 25, 17, 24));
        vm.prank(university);
        statusRegistry.createList(university, REVOCATION, 25, _noAddresses());
    }

    function test_createList_revertsForTooManyOperators() public {
        address[] memory operators = new address[](9);
        for (uint256 i = 0; i < 9; ++i) {
            operators[i] = address(uint160(0x1000 + i));
        }
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryTooMany.selector, 9, 8));
        vm.prank(university);
        statusRegistry.createList(university, REVOCATION, LIST_LOG2, operators);

        assembly {
            mstore(operators, 8)
        }
        vm.prank(university);
        uint256 listId = statusRegistry.createList(university, REVOCATION, LIST_LOG2, operators);
        assertTrue(statusRegistry.isOperator(listId, address(uint160(0x1007))), "eight are accepted");
    }

    function test_createList_revertsForZeroOperator() public {
        vm.expectRevert(IStatusRegistry.StatusRegistryZeroAddress.selector);
        vm.prank(university);
        statusRegistry.createList(university, REVOCATION, LIST_LOG2, _addresses(address(0)));
    }

    function test_createList_followsIssuerKeyRotation() public {
        address universityKey = makeAddr("key: National University #2");
        _rotateKey(university, universityKey);

        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryNotIssuerOwner.selector, university, university)
        );
        vm.prank(university);
        statusRegistry.createList(university, REVOCATION, LIST_LOG2, _noAddresses());

        vm.prank(universityKey);
        uint256 listId = statusRegistry.createList(university, REVOCATION, LIST_LOG2, _noAddresses());
        assertEq(statusRegistry.statusList(listId).issuer, university, "owned by the identity");
    }

    /// @dev Lists need a registered issuer, not an accreditation in force (revoking must stay possible after
    /// the issuer's accreditation ends).
    function test_createList_worksForIssuerWhoseAccreditationWasRevoked() public {
        _revoke(moe, university, studentId);
        uint256 listId = _createList(university, REVOCATION, LIST_LOG2, _noAddresses());
        vm.prank(university);
        statusRegistry.revoke(listId, 1, REASON_REVOKE);
        assertTrue(_isSet(listId, 1));
    }

    // ---- setOperator --------------------------------------------------------------------------------------

    function test_setOperator_addsOperatorWhoCanWrite() public {
        address second = makeAddr("operator: second service");
        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusListOperatorSet(revocationList, second, true, university);
        vm.prank(university);
        statusRegistry.setOperator(revocationList, second, true);

        assertTrue(statusRegistry.isOperator(revocationList, second), "isOperator");
        assertFalse(statusRegistry.isOperator(suspensionList, second), "only for that list");
        vm.prank(second);
        statusRegistry.revoke(revocationList, 7, REASON_REVOKE);
        assertTrue(_isSet(revocationList, 7), "wrote");
    }

    function test_setOperator_removedOperatorIsRefusedImmediately() public {
        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusListOperatorSet(revocationList, operator, false, university);
        vm.prank(university);
        statusRegistry.setOperator(revocationList, operator, false);

        assertFalse(statusRegistry.isOperator(revocationList, operator), "isOperator");
        _expectUnauthorized(operator, revocationList);
        vm.prank(operator);
        statusRegistry.revoke(revocationList, 7, REASON_REVOKE);

        uint256[] memory wordIndexes = _uints(0);
        uint256[] memory masks = _uints(1);
        _expectUnauthorized(operator, revocationList);
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);

        // Still an operator of the other list.
        vm.prank(operator);
        statusRegistry.suspend(suspensionList, 7, REASON_SUSPEND);
    }

    function test_setOperator_revertsForUnknownList() public {
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnknownList.selector, 99));
        vm.prank(university);
        statusRegistry.setOperator(99, operator, true);
    }

    function test_setOperator_revertsForKeyNotOwningIssuer() public {
        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryNotIssuerOwner.selector, operator, university)
        );
        vm.prank(operator);
        statusRegistry.setOperator(revocationList, stranger, true);

        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryNotIssuerOwner.selector, licensingOffice, university)
        );
        vm.prank(licensingOffice);
        statusRegistry.setOperator(revocationList, licensingOffice, true);
    }

    function test_setOperator_revertsForZeroOperator() public {
        vm.expectRevert(IStatusRegistry.StatusRegistryZeroAddress.selector);
        vm.prank(university);
        statusRegistry.setOperator(revocationList, address(0), true);
    }

    function test_setOperator_followsIssuerKeyRotation() public {
        address universityKey = makeAddr("key: National University #2");
        _rotateKey(university, universityKey);
        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryNotIssuerOwner.selector, university, university)
        );
        vm.prank(university);
        statusRegistry.setOperator(revocationList, stranger, true);

        vm.prank(universityKey);
        statusRegistry.setOperator(revocationList, operator, false);
        assertFalse(statusRegistry.isOperator(revocationList, operator));
    }

    // ---- revoke -------------------------------------------------------------------------------------------

    function test_revoke_byOperatorSetsTheEntryAndEmits() public {
        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusEntrySet(revocationList, 300, REASON_REVOKE);
        vm.prank(operator);
        statusRegistry.revoke(revocationList, 300, REASON_REVOKE);

        (bool set, address issuer, IStatusRegistry.Purpose purpose) = statusRegistry.entryStatus(revocationList, 300);
        assertTrue(set, "revoked");
        assertEq(issuer, university, "issuer");
        assertEq(purpose, REVOCATION, "purpose");
        assertEq(_word(revocationList, 1), uint256(1) << 44, "entry 300 is bit 44 of word 1");
        assertFalse(_isSet(revocationList, 299), "neighbour below untouched");
        assertFalse(_isSet(revocationList, 301), "neighbour above untouched");
    }

    function test_revoke_firstAndLastEntry() public {
        vm.startPrank(operator);
        statusRegistry.revoke(revocationList, 0, REASON_REVOKE);
        statusRegistry.revoke(revocationList, LIST_SIZE - 1, REASON_REVOKE);
        vm.stopPrank();
        assertEq(_word(revocationList, 0), 1, "entry 0");
        assertEq(_word(revocationList, LIST_WORDS - 1), uint256(1) << 255, "last entry");
    }

    function test_revoke_byIssuerOwnerKeySlowPath() public {
        vm.prank(university);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE);
        assertTrue(_isSet(revocationList, 5));
    }

    function test_revoke_followsIssuerKeyRotation() public {
        address universityKey = makeAddr("key: National University #2");
        _rotateKey(university, universityKey);

        _expectUnauthorized(university, revocationList);
        vm.prank(university);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE);

        vm.prank(universityKey);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE);
        assertTrue(_isSet(revocationList, 5), "new key writes");

        // Operators named by the issuer keep their grant across the issuer's key rotation.
        vm.prank(operator);
        statusRegistry.revoke(revocationList, 6, REASON_REVOKE);
    }

    function test_revoke_revertsForOtherIssuer() public {
        _expectUnauthorized(licensingOffice, revocationList);
        vm.prank(licensingOffice);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE);
    }

    function test_revoke_revertsForOperatorOfAnotherList() public {
        address otherOperator = makeAddr("operator: licensing office service");
        uint256 otherList = _createList(licensingOffice, REVOCATION, LIST_LOG2, _addresses(otherOperator));
        _expectUnauthorized(otherOperator, revocationList);
        vm.prank(otherOperator);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE);

        _expectUnauthorized(operator, otherList);
        vm.prank(operator);
        statusRegistry.revoke(otherList, 5, REASON_REVOKE);
    }

    function test_revoke_revertsForStrangerAndAccreditors() public {
        _expectUnauthorized(stranger, revocationList);
        vm.prank(stranger);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE);

        // Neither the issuer's accreditor nor the root may write an issuer's list.
        _expectUnauthorized(moe, revocationList);
        vm.prank(moe);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE);

        _expectUnauthorized(root, revocationList);
        vm.prank(root);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE);
    }

    function test_revoke_revertsForUnknownList() public {
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnknownList.selector, 99));
        vm.prank(university);
        statusRegistry.revoke(99, 5, REASON_REVOKE);

        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnknownList.selector, 0));
        vm.prank(operator);
        statusRegistry.revoke(0, 5, REASON_REVOKE);
    }

    function test_revoke_revertsForSuspensionList() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryWrongPurpose.selector, suspensionList, REVOCATION, SUSPENSION
            )
        );
        vm.prank(operator);
        statusRegistry.revoke(suspensionList, 5, REASON_REVOKE);
    }

    function test_revoke_revertsForMissingReason() public {
        vm.expectRevert(IStatusRegistry.StatusRegistryMissingReason.selector);
        vm.prank(operator);
        statusRegistry.revoke(revocationList, 5, 0);
    }

    function test_revoke_revertsForIndexOutOfRange() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryIndexOutOfRange.selector, revocationList, LIST_SIZE, LIST_SIZE
            )
        );
        vm.prank(operator);
        statusRegistry.revoke(revocationList, LIST_SIZE, REASON_REVOKE);

        // The slow path checks the range too.
        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryIndexOutOfRange.selector,
                revocationList,
                type(uint256).max,
                LIST_SIZE
            )
        );
        vm.prank(university);
        statusRegistry.revoke(revocationList, type(uint256).max, REASON_REVOKE);
    }

    function test_revoke_twiceKeepsTheEntryRevoked() public {
        vm.prank(operator);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE);
        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusEntrySet(revocationList, 5, REASON_REVOKE + 100);
        vm.prank(operator);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE + 100);
        assertEq(_word(revocationList, 0), uint256(1) << 5, "still exactly one bit");
    }

    // ---- suspend / reinstate ------------------------------------------------------------------------------

    function test_suspend_thenReinstateClearsTheEntryAndEmits() public {
        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusEntrySet(suspensionList, 1000, REASON_SUSPEND);
        vm.prank(operator);
        statusRegistry.suspend(suspensionList, 1000, REASON_SUSPEND);
        assertTrue(_isSet(suspensionList, 1000), "suspended");

        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusEntryCleared(suspensionList, 1000, REASON_REINSTATE);
        vm.prank(university);
        statusRegistry.reinstate(suspensionList, 1000, REASON_REINSTATE);
        assertFalse(_isSet(suspensionList, 1000), "reinstated");
    }

    function test_reinstate_ofClearEntryLeavesNeighboursAlone() public {
        vm.startPrank(operator);
        statusRegistry.suspend(suspensionList, 10, REASON_SUSPEND);
        statusRegistry.suspend(suspensionList, 12, REASON_SUSPEND);
        statusRegistry.reinstate(suspensionList, 11, REASON_REINSTATE);
        vm.stopPrank();
        assertEq(_word(suspensionList, 0), (uint256(1) << 10) | (uint256(1) << 12));
    }

    function test_suspend_revertsForRevocationList() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryWrongPurpose.selector, revocationList, SUSPENSION, REVOCATION
            )
        );
        vm.prank(operator);
        statusRegistry.suspend(revocationList, 5, REASON_SUSPEND);
    }

    function test_reinstate_revertsForRevocationList() public {
        vm.prank(operator);
        statusRegistry.revoke(revocationList, 5, REASON_REVOKE);

        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryRevocationIsPermanent.selector, revocationList)
        );
        vm.prank(operator);
        statusRegistry.reinstate(revocationList, 5, REASON_REINSTATE);

        // Not even the issuer's own key can clear a revocation.
        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryRevocationIsPermanent.selector, revocationList)
        );
        vm.prank(university);
        statusRegistry.reinstate(revocationList, 5, REASON_REINSTATE);
        assertTrue(_isSet(revocationList, 5), "still revoked");
    }

    function test_suspendAndReinstate_revertForUnauthorizedMissingReasonAndRange() public {
        _expectUnauthorized(stranger, suspensionList);
        vm.prank(stranger);
        statusRegistry.suspend(suspensionList, 5, REASON_SUSPEND);

        _expectUnauthorized(licensingOffice, suspensionList);
        vm.prank(licensingOffice);
        statusRegistry.reinstate(suspensionList, 5, REASON_REINSTATE);

        vm.expectRevert(IStatusRegistry.StatusRegistryMissingReason.selector);
        vm.prank(operator);
        statusRegistry.suspend(suspensionList, 5, 0);

        vm.expectRevert(IStatusRegistry.StatusRegistryMissingReason.selector);
        vm.prank(operator);
        statusRegistry.reinstate(suspensionList, 5, 0);

        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryIndexOutOfRange.selector, suspensionList, LIST_SIZE, LIST_SIZE
            )
        );
        vm.prank(operator);
        statusRegistry.reinstate(suspensionList, LIST_SIZE, REASON_REINSTATE);

        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnknownList.selector, 99));
        vm.prank(operator);
        statusRegistry.suspend(99, 5, REASON_SUSPEND);
    }

    // ---- batches ------------------------------------------------------------------------------------------

    function test_revokeBatch_setsEveryMaskedEntryAndEmits() public {
        vm.prank(operator);
        statusRegistry.revoke(revocationList, 2, REASON_REVOKE); // bit 2 of word 0, outside the masks

        uint256[] memory wordIndexes = _uints(0, 3, LIST_WORDS - 1);
        uint256[] memory masks = _uints(0x11, type(uint256).max, uint256(1) << 255);
        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusWordsSet(revocationList, REASON_REVOKE, wordIndexes, masks);
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);

        assertEq(_word(revocationList, 0), 0x11 | 0x4, "OR-ed into word 0, bit 2 kept");
        assertEq(_word(revocationList, 3), type(uint256).max, "word 3 full");
        assertEq(_word(revocationList, LIST_WORDS - 1), uint256(1) << 255, "last entry");
        assertEq(_word(revocationList, 1), 0, "word 1 untouched");
        assertTrue(_isSet(revocationList, 3 * 256 + 17), "entry w*256+b is bit b of word w");
        assertTrue(_isSet(revocationList, LIST_SIZE - 1), "last entry");
    }

    function test_revokeBatch_byIssuerOwnerKey() public {
        uint256[] memory wordIndexes = _uints(7);
        uint256[] memory masks = _uints(3);
        vm.prank(university);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);
        assertEq(_word(revocationList, 7), 3);
    }

    function test_suspendBatchAndReinstateBatch_clearOnlyTheMaskedEntries() public {
        uint256[] memory wordIndexes = _uints(1, 2);
        uint256[] memory masks = _uints(0xff, 0xf0);
        vm.prank(operator);
        statusRegistry.suspendBatch(suspensionList, wordIndexes, masks, REASON_SUSPEND);
        assertEq(_word(suspensionList, 1), 0xff);
        assertEq(_word(suspensionList, 2), 0xf0);

        uint256[] memory clearMasks = _uints(0x0f, 0x30);
        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusWordsCleared(suspensionList, REASON_REINSTATE, wordIndexes, clearMasks);
        vm.prank(operator);
        statusRegistry.reinstateBatch(suspensionList, wordIndexes, clearMasks, REASON_REINSTATE);
        assertEq(_word(suspensionList, 1), 0xf0, "word 1");
        assertEq(_word(suspensionList, 2), 0xc0, "word 2");
    }

    function test_suspendBatch_emitsWordsSet() public {
        uint256[] memory wordIndexes = _uints(9);
        uint256[] memory masks = _uints(5);
        vm.expectEmit(true, true, true, true, address(statusRegistry));
        emit IStatusRegistry.StatusWordsSet(suspensionList, REASON_SUSPEND, wordIndexes, masks);
        vm.prank(operator);
        statusRegistry.suspendBatch(suspensionList, wordIndexes, masks, REASON_SUSPEND);
    }

    function test_revokeBatch_acceptsMaximumBatch() public {
        uint256 n = statusRegistry.MAX_BATCH_WORDS();
        uint256 listId = _createList(university, REVOCATION, 18, _addresses(operator)); // 1,024 words
        uint256[] memory wordIndexes = new uint256[](n);
        uint256[] memory masks = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            wordIndexes[i] = i;
            masks[i] = uint256(1) << (i % 256);
        }
        vm.prank(operator);
        statusRegistry.revokeBatch(listId, wordIndexes, masks, REASON_REVOKE);
        assertTrue(_isSet(listId, 1023 * 256 + 255), "last word written");
    }

    function test_revokeBatch_revertsForEmptyBatch() public {
        uint256[] memory none = new uint256[](0);
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryBadBatch.selector, 0, 0, 1024));
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, none, none, REASON_REVOKE);
    }

    function test_revokeBatch_revertsForLengthMismatch() public {
        uint256[] memory wordIndexes = _uints(1, 2);
        uint256[] memory masks = _uints(1);
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryBadBatch.selector, 2, 1, 1024));
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);

        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryBadBatch.selector, 1, 2, 1024));
        vm.prank(operator);
        statusRegistry.suspendBatch(suspensionList, masks, wordIndexes, REASON_SUSPEND);
    }

    function test_revokeBatch_revertsForTooLargeBatch() public {
        uint256[] memory wordIndexes = new uint256[](1025);
        uint256[] memory masks = new uint256[](1025);
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryBadBatch.selector, 1025, 1025, 1024));
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);
    }

    function test_revokeBatch_revertsForUnsortedWords() public {
        uint256[] memory wordIndexes = _uints(1, 5, 4);
        uint256[] memory masks = _uints(1, 1, 1);
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnsortedBatch.selector, 2));
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);
        assertEq(_word(revocationList, 1), 0, "nothing written");
    }

    function test_revokeBatch_revertsForDuplicateWords() public {
        uint256[] memory wordIndexes = _uints(3, 3);
        uint256[] memory masks = _uints(1, 2);
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnsortedBatch.selector, 1));
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);
    }

    function test_revokeBatch_revertsForEmptyMask() public {
        uint256[] memory wordIndexes = _uints(1, 6);
        uint256[] memory masks = _uints(1, 0);
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryEmptyMask.selector, 6));
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);
    }

    function test_revokeBatch_revertsForWordOutOfRange() public {
        uint256[] memory wordIndexes = _uints(0, LIST_WORDS);
        uint256[] memory masks = _uints(1, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryWordOutOfRange.selector, revocationList, LIST_WORDS, LIST_WORDS
            )
        );
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);
        assertEq(_word(revocationList, 0), 0, "atomic: word 0 not written");
    }

    function test_revokeBatch_revertsForMissingReasonUnauthorizedAndUnknownList() public {
        uint256[] memory wordIndexes = _uints(0);
        uint256[] memory masks = _uints(1);

        vm.expectRevert(IStatusRegistry.StatusRegistryMissingReason.selector);
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, 0);

        _expectUnauthorized(licensingOffice, revocationList);
        vm.prank(licensingOffice);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);

        _expectUnauthorized(stranger, suspensionList);
        vm.prank(stranger);
        statusRegistry.suspendBatch(suspensionList, wordIndexes, masks, REASON_SUSPEND);

        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnknownList.selector, 99));
        vm.prank(university);
        statusRegistry.revokeBatch(99, wordIndexes, masks, REASON_REVOKE);
    }

    function test_batches_revertForWrongPurpose() public {
        uint256[] memory wordIndexes = _uints(0);
        uint256[] memory masks = _uints(1);

        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryWrongPurpose.selector, suspensionList, REVOCATION, SUSPENSION
            )
        );
        vm.prank(operator);
        statusRegistry.revokeBatch(suspensionList, wordIndexes, masks, REASON_REVOKE);

        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryWrongPurpose.selector, revocationList, SUSPENSION, REVOCATION
            )
        );
        vm.prank(operator);
        statusRegistry.suspendBatch(revocationList, wordIndexes, masks, REASON_SUSPEND);
    }

    function test_reinstateBatch_revertsForRevocationList() public {
        uint256[] memory wordIndexes = _uints(0);
        uint256[] memory masks = _uints(1);
        vm.prank(operator);
        statusRegistry.revokeBatch(revocationList, wordIndexes, masks, REASON_REVOKE);

        vm.expectRevert(
            abi.encodeWithSelector(IStatusRegistry.StatusRegistryRevocationIsPermanent.selector, revocationList)
        );
        vm.prank(university);
        statusRegistry.reinstateBatch(revocationList, wordIndexes, masks, REASON_REINSTATE);
        assertTrue(_isSet(revocationList, 0), "still revoked");
    }

    // ---- views --------------------------------------------------------------------------------------------

    function test_statusList_revertsForUnknownList() public {
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnknownList.selector, 0));
        statusRegistry.statusList(0);
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnknownList.selector, 3));
        statusRegistry.statusList(3);
    }

    function test_listCount_countsCreatedLists() public {
        assertEq(statusRegistry.listCount(), 2, "two lists in the fixture");
        _createList(licensingOffice, SUSPENSION, LIST_LOG2, _noAddresses());
        assertEq(statusRegistry.listCount(), 3, "three");
    }

    function test_isOperator_falseForUnknownList() public view {
        assertFalse(statusRegistry.isOperator(99, operator));
    }

    function test_entryStatus_revertsForUnknownListAndOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnknownList.selector, 99));
        statusRegistry.entryStatus(99, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryIndexOutOfRange.selector, suspensionList, LIST_SIZE, LIST_SIZE
            )
        );
        statusRegistry.entryStatus(suspensionList, LIST_SIZE);
    }

    function test_entryStatus_namesIssuerAndPurpose() public view {
        (bool set, address issuer, IStatusRegistry.Purpose purpose) = statusRegistry.entryStatus(suspensionList, 0);
        assertFalse(set, "clear");
        assertEq(issuer, university, "issuer");
        assertEq(purpose, SUSPENSION, "purpose");
    }

    function test_words_readsARangeAndTheWholeList() public {
        vm.startPrank(operator);
        statusRegistry.revoke(revocationList, 256 * 4 + 1, REASON_REVOKE);
        statusRegistry.revoke(revocationList, 256 * 5 + 2, REASON_REVOKE);
        vm.stopPrank();

        uint256[] memory w = statusRegistry.words(revocationList, 4, 2);
        assertEq(w.length, 2, "length");
        assertEq(w[0], 2, "word 4");
        assertEq(w[1], 4, "word 5");

        w = statusRegistry.words(revocationList, 0, LIST_WORDS);
        assertEq(w.length, LIST_WORDS, "whole list");
        assertEq(statusRegistry.words(revocationList, LIST_WORDS, 0).length, 0, "empty read at the end");
    }

    function test_words_revertsForUnknownList() public {
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryUnknownList.selector, 99));
        statusRegistry.words(99, 0, 1);
    }

    function test_words_revertsForTooManyWords() public {
        uint256 listId = _createList(university, REVOCATION, 24, _noAddresses()); // 65,536 words
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryTooMany.selector, 4097, 4096));
        statusRegistry.words(listId, 0, 4097);
        assertEq(statusRegistry.words(listId, 0, 4096).length, 4096, "4,096 words are fine");
    }

    function test_words_revertsPastTheEnd() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryWordOutOfRange.selector, revocationList, LIST_WORDS - 1, LIST_WORDS
            )
        );
        statusRegistry.words(revocationList, LIST_WORDS - 1, 2);

        vm.expectRevert(
            abi.encodeWithSelector(
                IStatusRegistry.StatusRegistryWordOutOfRange.selector, revocationList, LIST_WORDS + 1, LIST_WORDS
            )
        );
        statusRegistry.words(revocationList, LIST_WORDS + 1, 0);
    }

    /// Regression: the error's argument used to be `fromWord + count`, which overflowed into a Panic(0x11) for a
    /// start word near 2**256; the error now reports the start word.
    function test_words_revertsWithWordOutOfRangeForHugeStartWord() public {
        try statusRegistry.words(revocationList, type(uint256).max, 1) returns (uint256[] memory) {
            fail();
        } catch (bytes memory err) {
            assertEq(
                bytes4(err),
                IStatusRegistry.StatusRegistryWordOutOfRange.selector,
                "custom error, not an arithmetic panic"
            );
        }
    }
}
