// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {RelyingPartyRegistry} from "../../contracts/RelyingPartyRegistry.sol";
import {IAccreditationRegistry} from "../../contracts/interfaces/IAccreditationRegistry.sol";
import {CredentialTypeId} from "../../contracts/interfaces/ICredentialTypeRegistry.sol";
import {IRelyingPartyRegistry} from "../../contracts/interfaces/IRelyingPartyRegistry.sol";

import {Base} from "./Base.t.sol";

/// @notice Shared fixture for relying-party suites: the default network plus the relying-party registry and a
/// convenience store (`shop`) that the Ministry of Education may register for student-ID claims.
abstract contract RelyingPartyBase is Base {
    RelyingPartyRegistry internal rpRegistry;
    address internal shop;
    address internal bank;

    uint40 internal constant RP_FROM = T0;
    uint40 internal constant RP_UNTIL = T0 + 180 days;

    function setUp() public virtual override {
        super.setUp();
        _deployNetwork();
        rpRegistry = new RelyingPartyRegistry(IAccreditationRegistry(address(registry)));
        shop = makeAddr("relying party: convenience store");
        bank = makeAddr("relying party: bank");
    }

    function _claims(bytes32 a) internal pure returns (bytes32[] memory c) {
        c = new bytes32[](1);
        c[0] = a;
    }

    function _claims(bytes32 a, bytes32 b) internal pure returns (bytes32[] memory c) {
        c = new bytes32[](2);
        c[0] = a;
        c[1] = b;
    }

    function _claimLists(bytes32[] memory a) internal pure returns (bytes32[][] memory l) {
        l = new bytes32[][](1);
        l[0] = a;
    }

    function _registration(string memory name) internal pure returns (IRelyingPartyRegistry.Registration memory) {
        return IRelyingPartyRegistry.Registration({
            name: name,
            purpose: "Student discount: checks student status",
            validFrom: RP_FROM,
            validUntil: RP_UNTIL,
            reason: REASON_GRANT
        });
    }

    /// @dev `shop` registered by moe for student IDs, claims {"family_name", "student_status"} (sorted).
    function _registerShop() internal {
        vm.prank(_keyOf(moe));
        rpRegistry.registerRelyingParty(
            moe,
            shop,
            _registration("Seoul Convenience Store"),
            _types(studentId),
            _claimLists(_claims(bytes32("family_name"), bytes32("student_status")))
        );
    }

    function _rpSuspend(address actor, address rp) internal {
        vm.prank(_keyOf(actor));
        rpRegistry.suspend(actor, rp, REASON_SUSPEND);
    }

    function _rpReinstate(address actor, address rp) internal {
        vm.prank(_keyOf(actor));
        rpRegistry.reinstate(actor, rp, REASON_REINSTATE);
    }

    function _rpRevoke(address actor, address rp) internal {
        vm.prank(_keyOf(actor));
        rpRegistry.revoke(actor, rp, REASON_REVOKE);
    }

    function _digest(bytes32[] memory claims) internal pure returns (bytes20) {
        return bytes20(keccak256(abi.encodePacked(claims)));
    }
}

contract RelyingPartyRegistryTest is RelyingPartyBase {
    // ---- registration -----------------------------------------------------------------------------------------

    function test_register_storesPublicDataWindowAndClaims() public {
        bytes32[] memory claims = _claims(bytes32("family_name"), bytes32("student_status"));
        vm.expectEmit(address(rpRegistry));
        emit IRelyingPartyRegistry.RelyingPartyRegistered(
            shop, moe, "Seoul Convenience Store", "Student discount: checks student status"
        );
        vm.expectEmit(address(rpRegistry));
        emit IRelyingPartyRegistry.RelyingPartyChanged(
            shop, moe, IAccreditationRegistry.Status.Active, RP_FROM, RP_UNTIL, REASON_GRANT
        );
        vm.expectEmit(address(rpRegistry));
        emit IRelyingPartyRegistry.RelyingPartyClaimsSet(shop, studentId, moe, _digest(claims), claims);
        _registerShop();

        IRelyingPartyRegistry.RelyingParty memory p = rpRegistry.relyingParty(shop);
        assertEq(p.identity, shop, "identity");
        assertEq(p.registrar, moe, "registrar");
        assertEq(p.status, IAccreditationRegistry.Status.Active, "status");
        assertEq(p.validFrom, RP_FROM, "validFrom");
        assertEq(p.validUntil, RP_UNTIL, "validUntil");
        assertEq(p.registeredAt, uint40(block.timestamp), "registeredAt");
        assertEq(p.changedBy, moe, "changedBy");
        assertEq(p.reason, REASON_GRANT, "reason");
        assertEq(p.changes, 0, "changes");
        assertEq(p.name, "Seoul Convenience Store", "name");
        assertEq(p.purpose, "Student discount: checks student status", "purpose");

        IRelyingPartyRegistry.ClaimPermission memory c =
            rpRegistry.claimsAt(shop, studentId, uint40(block.timestamp));
        assertEq(c.claimsDigest, _digest(claims), "digest");
        assertEq(c.claimCount, 2, "count");
        assertEq(c.setBy, moe, "setBy");
        assertTrue(c.grantorInForce, "registrar in force");
        assertEq(rpRegistry.claimsAt(shop, driversLicence, uint40(block.timestamp)).claimsDigest, bytes20(0), "other");
    }

    function test_register_revertsForKeyThatDoesNotOwnTheAccreditor() public {
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryUnauthorized.selector, stranger, moe)
        );
        vm.prank(stranger);
        rpRegistry.registerRelyingParty(
            moe, shop, _registration("x"), _types(studentId), _claimLists(_claims(bytes32("a")))
        );
    }

    function test_register_revertsForIssuerOrRoot() public {
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryNotAccreditor.selector, university)
        );
        vm.prank(university);
        rpRegistry.registerRelyingParty(
            university, shop, _registration("x"), _types(studentId), _claimLists(_claims(bytes32("a")))
        );
        vm.expectRevert(abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryNotAccreditor.selector, root));
        vm.prank(root);
        rpRegistry.registerRelyingParty(
            root, shop, _registration("x"), _types(studentId), _claimLists(_claims(bytes32("a")))
        );
    }

    function test_register_revertsOutsideTheAccreditorsScope() public {
        // moe governs student IDs, not driver's licences.
        vm.expectRevert(
            abi.encodeWithSelector(
                IRelyingPartyRegistry.RelyingPartyRegistryOutOfScope.selector, moe, driversLicence
            )
        );
        vm.prank(moe);
        rpRegistry.registerRelyingParty(
            moe, shop, _registration("x"), _types(driversLicence), _claimLists(_claims(bytes32("a")))
        );
    }

    function test_register_revertsWhenTheAccreditorIsSuspendedForTheType() public {
        _suspend(root, moe, studentId);
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryOutOfScope.selector, moe, studentId)
        );
        vm.prank(moe);
        rpRegistry.registerRelyingParty(
            moe, shop, _registration("x"), _types(studentId), _claimLists(_claims(bytes32("a")))
        );
    }

    function test_register_revertsForDuplicate() public {
        _registerShop();
        vm.expectRevert(abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryDuplicate.selector, shop));
        vm.prank(moe);
        rpRegistry.registerRelyingParty(
            moe, shop, _registration("x"), _types(studentId), _claimLists(_claims(bytes32("a")))
        );
    }

    function test_register_validatesNamePurposeWindowReasonAndCounts() public {
        IRelyingPartyRegistry.Registration memory r = _registration("");
        bytes32[][] memory lists = _claimLists(_claims(bytes32("a")));
        CredentialTypeId[] memory types = _types(studentId);
        vm.startPrank(moe);

        vm.expectRevert(abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryInvalidName.selector, 0, 128));
        rpRegistry.registerRelyingParty(moe, shop, r, types, lists);
        r.name = _string(129);
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryInvalidName.selector, 129, 128)
        );
        rpRegistry.registerRelyingParty(moe, shop, r, types, lists);
        r.name = "ok";
        r.purpose = _string(257);
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryInvalidPurpose.selector, 257, 256)
        );
        rpRegistry.registerRelyingParty(moe, shop, r, types, lists);
        r.purpose = "ok";
        r.validUntil = r.validFrom;
        vm.expectRevert(
            abi.encodeWithSelector(
                IRelyingPartyRegistry.RelyingPartyRegistryInvalidWindow.selector, RP_FROM, RP_FROM, uint40(T0)
            )
        );
        rpRegistry.registerRelyingParty(moe, shop, r, types, lists);
        r.validUntil = RP_UNTIL;
        r.reason = 0;
        vm.expectRevert(IRelyingPartyRegistry.RelyingPartyRegistryMissingReason.selector);
        rpRegistry.registerRelyingParty(moe, shop, r, types, lists);
        r.reason = REASON_GRANT;
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryBadTypeCount.selector, 0, 1, 8)
        );
        rpRegistry.registerRelyingParty(moe, shop, r, new CredentialTypeId[](0), lists);
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryBadTypeCount.selector, 1, 0, 8)
        );
        rpRegistry.registerRelyingParty(moe, shop, r, types, new bytes32[][](0));
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryBadClaimCount.selector, studentId, 0, 32)
        );
        rpRegistry.registerRelyingParty(moe, shop, r, types, _claimLists(new bytes32[](0)));
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryBadClaimCount.selector, studentId, 33, 32)
        );
        bytes32[] memory many = new bytes32[](33);
        for (uint256 i = 0; i < 33; ++i) {
            many[i] = bytes32(i + 1);
        }
        rpRegistry.registerRelyingParty(moe, shop, r, types, _claimLists(many));
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryZeroAddress.selector)
        );
        rpRegistry.registerRelyingParty(moe, address(0), r, types, lists);
        vm.stopPrank();
    }

    function test_register_refusesNonCanonicalClaimLists() public {
        CredentialTypeId[] memory types = _types(studentId);
        vm.startPrank(moe);
        // Unsorted, duplicated and zero identifiers would give one set several digests.
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryClaimsNotCanonical.selector, studentId, 1)
        );
        rpRegistry.registerRelyingParty(
            moe, shop, _registration("x"), types, _claimLists(_claims(bytes32("b"), bytes32("a")))
        );
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryClaimsNotCanonical.selector, studentId, 1)
        );
        rpRegistry.registerRelyingParty(
            moe, shop, _registration("x"), types, _claimLists(_claims(bytes32("a"), bytes32("a")))
        );
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryClaimsNotCanonical.selector, studentId, 0)
        );
        rpRegistry.registerRelyingParty(moe, shop, _registration("x"), types, _claimLists(_claims(bytes32(0))));
        vm.stopPrank();
    }

    // ---- standing changes ---------------------------------------------------------------------------------

    function test_suspendReinstateRevoke_byRegistrar_recordHistoryAndEvents() public {
        _registerShop();
        vm.warp(T0 + 10);
        vm.expectEmit(address(rpRegistry));
        emit IRelyingPartyRegistry.RelyingPartyChanged(
            shop, moe, IAccreditationRegistry.Status.Suspended, RP_FROM, RP_UNTIL, REASON_SUSPEND
        );
        _rpSuspend(moe, shop);
        vm.warp(T0 + 20);
        _rpReinstate(moe, shop);
        vm.warp(T0 + 30);
        _rpRevoke(moe, shop);

        IRelyingPartyRegistry.RelyingParty memory p = rpRegistry.relyingParty(shop);
        assertEq(p.status, IAccreditationRegistry.Status.Revoked, "revoked");
        assertEq(p.changes, 3, "changes");
        assertEq(p.registeredAt, T0, "registeredAt survives changes");
        assertEq(p.reason, REASON_REVOKE, "reason");
        (IAccreditationRegistry.Status s0,,, uint40 since0, address by0, uint32 r0) =
            rpRegistry.relyingPartyHistory(shop, 0);
        assertEq(s0, IAccreditationRegistry.Status.Active, "history 0");
        assertEq(since0, T0, "history 0 since");
        assertEq(by0, moe, "history 0 by");
        assertEq(r0, REASON_GRANT, "history 0 reason");
        (IAccreditationRegistry.Status s1,,,,, uint32 r1) = rpRegistry.relyingPartyHistory(shop, 1);
        assertEq(s1, IAccreditationRegistry.Status.Suspended, "history 1");
        assertEq(r1, REASON_SUSPEND, "history 1 reason");
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryHistoryOutOfRange.selector, 3, 3)
        );
        rpRegistry.relyingPartyHistory(shop, 3);
    }

    function test_revoked_isTerminal() public {
        _registerShop();
        _rpRevoke(moe, shop);
        vm.startPrank(moe);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRelyingPartyRegistry.RelyingPartyRegistryInvalidTransition.selector,
                shop,
                IAccreditationRegistry.Status.Revoked,
                IAccreditationRegistry.Status.Active
            )
        );
        rpRegistry.reinstate(moe, shop, REASON_REINSTATE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRelyingPartyRegistry.RelyingPartyRegistryInvalidTransition.selector,
                shop,
                IAccreditationRegistry.Status.Revoked,
                IAccreditationRegistry.Status.Active
            )
        );
        rpRegistry.setClaims(moe, shop, studentId, _claims(bytes32("a")));
        vm.expectRevert(
            abi.encodeWithSelector(
                IRelyingPartyRegistry.RelyingPartyRegistryInvalidTransition.selector,
                shop,
                IAccreditationRegistry.Status.Revoked,
                IAccreditationRegistry.Status.Revoked
            )
        );
        rpRegistry.revoke(moe, shop, REASON_REVOKE);
        vm.stopPrank();
    }

    function test_suspend_requiresActive_reinstate_requiresSuspended() public {
        _registerShop();
        vm.expectRevert(
            abi.encodeWithSelector(
                IRelyingPartyRegistry.RelyingPartyRegistryInvalidTransition.selector,
                shop,
                IAccreditationRegistry.Status.Active,
                IAccreditationRegistry.Status.Active
            )
        );
        vm.prank(moe);
        rpRegistry.reinstate(moe, shop, REASON_REINSTATE);
        _rpSuspend(moe, shop);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRelyingPartyRegistry.RelyingPartyRegistryInvalidTransition.selector,
                shop,
                IAccreditationRegistry.Status.Suspended,
                IAccreditationRegistry.Status.Suspended
            )
        );
        vm.prank(moe);
        rpRegistry.suspend(moe, shop, REASON_SUSPEND);
    }

    function test_changes_byRootAreAllowed_andRecordTheRoot() public {
        _registerShop();
        _rpSuspend(root, shop);
        assertEq(rpRegistry.relyingParty(shop).changedBy, root, "changedBy root");
    }

    function test_changes_revertForOtherAccreditorIssuerStrangerAndFormerRoot() public {
        _registerShop();
        address[3] memory others = [npa, university, stranger];
        for (uint256 i = 0; i < others.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IRelyingPartyRegistry.RelyingPartyRegistryNotAuthority.selector, others[i], shop
                )
            );
            vm.prank(others[i]);
            rpRegistry.suspend(others[i], shop, REASON_SUSPEND);
        }
        address newRoot = makeAddr("new root");
        _transferRoot(newRoot);
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryNotAuthority.selector, root, shop)
        );
        vm.prank(root);
        rpRegistry.suspend(root, shop, REASON_SUSPEND);
        _rpSuspend(newRoot, shop);
    }

    function test_changes_followTheAccreditorsKeyRotation() public {
        _registerShop();
        address oldKey = _keyOf(moe);
        address newKey = makeAddr("moe new key");
        _rotateKey(moe, newKey);
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryUnauthorized.selector, oldKey, moe)
        );
        vm.prank(oldKey);
        rpRegistry.suspend(moe, shop, REASON_SUSPEND);
        _rpSuspend(moe, shop);
    }

    function test_changes_requireAReasonAndAKnownParty() public {
        _registerShop();
        vm.expectRevert(IRelyingPartyRegistry.RelyingPartyRegistryMissingReason.selector);
        vm.prank(moe);
        rpRegistry.suspend(moe, shop, 0);
        vm.expectRevert(abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryUnknown.selector, bank));
        vm.prank(moe);
        rpRegistry.suspend(moe, bank, REASON_SUSPEND);
    }

    function test_renew_extendsTheWindowOnly() public {
        _registerShop();
        vm.prank(moe);
        rpRegistry.renew(moe, shop, RP_UNTIL + 100 days, REASON_RENEW);
        assertEq(rpRegistry.relyingParty(shop).validUntil, RP_UNTIL + 100 days, "renewed");
        vm.expectRevert(
            abi.encodeWithSelector(
                IRelyingPartyRegistry.RelyingPartyRegistryInvalidWindow.selector, RP_FROM, RP_UNTIL, uint40(T0)
            )
        );
        vm.prank(moe);
        rpRegistry.renew(moe, shop, RP_UNTIL, REASON_RENEW);
    }

    // ---- point in time --------------------------------------------------------------------------------------

    function test_standingAt_answersThePastFromHistory() public {
        vm.warp(T0 + 100);
        _registerShop();
        vm.warp(T0 + 200);
        _rpSuspend(moe, shop);
        vm.warp(T0 + 300);
        _rpReinstate(moe, shop);
        vm.warp(T0 + 400);

        assertEq(rpRegistry.standingAt(shop, T0 + 99).status, IAccreditationRegistry.Status.None, "before");
        IRelyingPartyRegistry.RelyingPartyStanding memory s = rpRegistry.standingAt(shop, T0 + 150);
        assertTrue(s.inForce, "registered");
        assertTrue(s.final_, "final");
        assertEq(s.registrar, moe, "registrar");
        s = rpRegistry.standingAt(shop, T0 + 250);
        assertFalse(s.inForce, "suspended");
        assertEq(s.status, IAccreditationRegistry.Status.Suspended, "suspended status");
        assertEq(s.reason, REASON_SUSPEND, "suspended reason");
        assertTrue(rpRegistry.standingAt(shop, T0 + 300).inForce, "reinstated");
        s = rpRegistry.standingAt(shop, RP_UNTIL);
        assertEq(s.status, IAccreditationRegistry.Status.Expired, "expired");
        assertFalse(s.final_, "future is not final");
    }

    function test_claimsAt_answersThePast_andLapsesWithTheRegistrar() public {
        _registerShop();
        bytes20 first = _digest(_claims(bytes32("family_name"), bytes32("student_status")));
        vm.warp(T0 + 100);
        bytes32[] memory narrower = _claims(bytes32("student_status"));
        vm.prank(moe);
        rpRegistry.setClaims(moe, shop, studentId, narrower);
        vm.warp(T0 + 200);
        vm.prank(moe);
        rpRegistry.setClaims(moe, shop, studentId, new bytes32[](0));
        vm.warp(T0 + 300);

        assertEq(rpRegistry.claimsAt(shop, studentId, T0 + 50).claimsDigest, first, "first");
        assertEq(rpRegistry.claimsAt(shop, studentId, T0 + 150).claimsDigest, _digest(narrower), "narrower");
        IRelyingPartyRegistry.ClaimPermission memory withdrawn = rpRegistry.claimsAt(shop, studentId, T0 + 250);
        assertEq(withdrawn.claimsDigest, bytes20(0), "withdrawn");
        assertEq(withdrawn.claimCount, 0, "withdrawn count");
        assertEq(withdrawn.changes, 2, "changes");
        assertEq(rpRegistry.claimsHistory(shop, studentId, 0).claimsDigest, first, "history 0");
        assertEq(rpRegistry.claimsHistory(shop, studentId, 1).claimsDigest, _digest(narrower), "history 1");

        // The registrar's accreditation for the type lapses: the permission lapses with it (for later times).
        _suspend(root, moe, studentId);
        assertFalse(rpRegistry.claimsAt(shop, studentId, uint40(block.timestamp)).grantorInForce, "lapsed");
        assertTrue(rpRegistry.claimsAt(shop, studentId, T0 + 50).grantorInForce, "past unchanged");
    }

    function test_setClaims_byAnyAccreditorInScopeForTheType() public {
        _registerShop();
        // npa governs driver's licences: it may grant their claims to a party that moe registered.
        bytes32[] memory age = _claims(bytes32("age_over_19"));
        vm.expectEmit(address(rpRegistry));
        emit IRelyingPartyRegistry.RelyingPartyClaimsSet(shop, driversLicence, npa, _digest(age), age);
        vm.prank(npa);
        rpRegistry.setClaims(npa, shop, driversLicence, age);
        IRelyingPartyRegistry.ClaimPermission memory p = rpRegistry.claimsAt(shop, driversLicence, uint40(T0));
        assertEq(p.setBy, npa, "setBy");
        assertTrue(p.grantorInForce, "npa in force");
        // ... but not student-ID claims, nor can moe grant driver's-licence claims.
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryOutOfScope.selector, npa, studentId)
        );
        vm.prank(npa);
        rpRegistry.setClaims(npa, shop, studentId, age);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRelyingPartyRegistry.RelyingPartyRegistryOutOfScope.selector, moe, driversLicence
            )
        );
        vm.prank(moe);
        rpRegistry.setClaims(moe, shop, driversLicence, age);
    }

    function test_setClaims_revertsForRootIssuerStrangerAndUnknownParty() public {
        _registerShop();
        address[3] memory others = [root, university, stranger];
        for (uint256 i = 0; i < others.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryNotAccreditor.selector, others[i])
            );
            vm.prank(others[i]);
            rpRegistry.setClaims(others[i], shop, studentId, _claims(bytes32("a")));
        }
        vm.expectRevert(abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryUnknown.selector, bank));
        vm.prank(moe);
        rpRegistry.setClaims(moe, bank, studentId, _claims(bytes32("a")));
        vm.expectRevert(
            abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryUnauthorized.selector, stranger, moe)
        );
        vm.prank(stranger);
        rpRegistry.setClaims(moe, shop, studentId, _claims(bytes32("a")));
    }

    function test_constructor_takesTheIdentityRegistryFromTheAccreditationRegistry() public {
        assertEq(address(rpRegistry.accreditationRegistry()), address(registry), "accreditation registry");
        vm.expectRevert(IRelyingPartyRegistry.RelyingPartyRegistryZeroAddress.selector);
        new RelyingPartyRegistry(IAccreditationRegistry(address(0)));
    }
}
