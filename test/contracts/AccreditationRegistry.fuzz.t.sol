// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccreditationRegistry} from "../../contracts/interfaces/IAccreditationRegistry.sol";
import {CredentialTypeId} from "../../contracts/interfaces/ICredentialTypeRegistry.sol";

import {Base} from "./Base.t.sol";

/// @notice Property tests of the accreditation registry: window and scope validation against a closed-form
/// rule, and a timeline model of `standingAt` driven by random sequences of changes.
contract AccreditationRegistryFuzzTest is Base {
    address internal college; // registered under moe, not accredited in the fixture

    function setUp() public override {
        super.setUp();
        _deployNetwork();
        college = makeAddr("issuer: Community College");
        _registerIssuer(moe, college, "Community College");
    }

    // ---- window and scope validation ----------------------------------------------------------------------

    function testFuzz_accreditIssuer_acceptsExactlyTheWindowsInsideScope(uint40 from, uint40 until, uint256 elapsed)
        public
    {
        elapsed = bound(elapsed, 0, 800 days);
        vm.warp(T0 + elapsed);
        uint40 nowTime = uint40(block.timestamp);
        from = uint40(bound(from, T0 - 100 days, ACCREDITOR_UNTIL + 100 days));
        until = uint40(bound(until, T0 - 100 days, ACCREDITOR_UNTIL + 100 days));

        bytes memory expected;
        if (from >= until || until <= nowTime) {
            expected = abi.encodeWithSelector(
                IAccreditationRegistry.AccreditationRegistryInvalidWindow.selector, from, until, nowTime
            );
        } else if (ACCREDITOR_UNTIL <= nowTime) {
            expected = abi.encodeWithSelector(
                IAccreditationRegistry.AccreditationRegistryOutOfScope.selector,
                moe,
                studentId,
                IAccreditationRegistry.Status.Expired
            );
        } else if (from < ACCREDITOR_FROM || until > ACCREDITOR_UNTIL) {
            expected = abi.encodeWithSelector(
                IAccreditationRegistry.AccreditationRegistryWindowOutOfScope.selector,
                from,
                until,
                ACCREDITOR_FROM,
                ACCREDITOR_UNTIL
            );
        }

        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(moe);
        registry.accreditIssuer(moe, college, studentId, from, until, REASON_GRANT);
        if (expected.length == 0) {
            IAccreditationRegistry.Accreditation memory a = registry.accreditation(college, studentId);
            assertEq(a.validFrom, from, "validFrom");
            assertEq(a.validUntil, until, "validUntil");
            assertEq(a.since, nowTime, "since");
        }
    }

    function testFuzz_accreditAccreditor_refusesEmptyInvertedOrPastWindows(uint40 from, uint40 until, uint256 elapsed)
        public
    {
        elapsed = bound(elapsed, 0, 800 days);
        vm.warp(T0 + elapsed);
        uint40 nowTime = uint40(block.timestamp);
        CredentialTypeId diploma = _registerType("UniversityDiplomaCredential", 1, moe);
        CredentialTypeId[] memory types = _types(diploma);

        bool valid = from < until && until > nowTime;
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAccreditationRegistry.AccreditationRegistryInvalidWindow.selector, from, until, nowTime
                )
            );
        }
        vm.prank(root);
        registry.accreditAccreditor(moe, types, from, until, REASON_GRANT);
        if (valid) assertEq(registry.accreditation(moe, diploma).validUntil, until, "granted");
    }

    function testFuzz_renew_staysInsideTheAccreditorWindow(uint40 until, uint256 elapsed) public {
        elapsed = bound(elapsed, 0, 800 days);
        vm.warp(T0 + elapsed);
        uint40 nowTime = uint40(block.timestamp);
        until = uint40(bound(until, ISSUER_UNTIL - 10 days, ACCREDITOR_UNTIL + 10 days));

        bytes memory expected;
        if (until <= ISSUER_UNTIL || until <= nowTime) {
            expected = abi.encodeWithSelector(
                IAccreditationRegistry.AccreditationRegistryInvalidWindow.selector, ISSUER_FROM, until, nowTime
            );
        } else if (ACCREDITOR_UNTIL <= nowTime) {
            expected = abi.encodeWithSelector(
                IAccreditationRegistry.AccreditationRegistryOutOfScope.selector,
                moe,
                studentId,
                IAccreditationRegistry.Status.Expired
            );
        } else if (until > ACCREDITOR_UNTIL) {
            expected = abi.encodeWithSelector(
                IAccreditationRegistry.AccreditationRegistryWindowOutOfScope.selector,
                ISSUER_FROM,
                until,
                ACCREDITOR_FROM,
                ACCREDITOR_UNTIL
            );
        }
        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(moe);
        registry.renew(moe, university, studentId, until, REASON_RENEW);
        if (expected.length == 0) assertEq(registry.accreditation(university, studentId).validUntil, until);
    }

    function testFuzz_suspend_refusedForEveryoneButGrantorAndRoot(address actor) public {
        vm.assume(actor != moe && actor != root);
        assumeNotForgeAddress(actor);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccreditationRegistry.AccreditationRegistryNotAuthority.selector, actor, university, studentId
            )
        );
        vm.prank(actor); // every address owns itself in ERC-1056 until it rotates
        registry.suspend(actor, university, studentId, REASON_SUSPEND);
    }

    function testFuzz_writes_refusedForKeysNotOwningTheActor(address caller) public {
        vm.assume(caller != moe);
        assumeNotForgeAddress(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IAccreditationRegistry.AccreditationRegistryUnauthorized.selector, caller, moe)
        );
        vm.prank(caller);
        registry.revoke(moe, university, studentId, REASON_REVOKE);
    }

    // ---- standingAt against a timeline model --------------------------------------------------------------

    /// @dev One stored version of an accreditation, as the model keeps it.
    struct Checkpoint {
        uint40 since;
        IAccreditationRegistry.Status status; // stored status: Active, Suspended or Revoked
        uint40 validUntil;
        uint32 reason;
    }

    struct Timeline {
        Checkpoint[] points;
        uint256 length;
        uint40 validFrom;
    }

    uint256 internal constant MAX_OPS = 10;

    function _push(Timeline memory t, uint40 since, IAccreditationRegistry.Status status, uint40 until, uint32 reason)
        internal
        pure
    {
        t.points[t.length++] = Checkpoint(since, status, until, reason);
    }

    function _current(Timeline memory t) internal pure returns (Checkpoint memory) {
        return t.points[t.length - 1];
    }

    /// @dev The last version that took effect at or before `at` (the last of a second wins), if any.
    function _at(Timeline memory t, uint40 at) internal pure returns (bool found, Checkpoint memory c) {
        for (uint256 i = 0; i < t.length; ++i) {
            if (t.points[i].since > at) break;
            (found, c) = (true, t.points[i]);
        }
    }

    function _effective(Timeline memory t, uint40 at) internal pure returns (IAccreditationRegistry.Status) {
        (bool found, Checkpoint memory c) = _at(t, at);
        if (!found) return IAccreditationRegistry.Status.None;
        if (c.status != IAccreditationRegistry.Status.Active) return c.status;
        if (at < t.validFrom) return IAccreditationRegistry.Status.Pending;
        if (at >= c.validUntil) return IAccreditationRegistry.Status.Expired;
        return IAccreditationRegistry.Status.Active;
    }

    function _expectedStanding(Timeline memory issuer, Timeline memory accreditor, uint40 at)
        internal
        view
        returns (IAccreditationRegistry.Standing memory s)
    {
        s.final_ = at < block.timestamp;
        (bool found, Checkpoint memory c) = _at(issuer, at);
        if (!found) return s; // everything else zero, status None
        s.status = _effective(issuer, at);
        s.accreditorStatus = _effective(accreditor, at);
        s.validFrom = issuer.validFrom;
        s.validUntil = c.validUntil;
        s.since = c.since;
        s.accreditor = moe;
        s.reason = c.reason;
        s.inForce = s.status == IAccreditationRegistry.Status.Active
            && s.accreditorStatus == IAccreditationRegistry.Status.Active;
    }

    function _isLive(IAccreditationRegistry.Status s) internal pure returns (bool) {
        return s == IAccreditationRegistry.Status.Active || s == IAccreditationRegistry.Status.Suspended;
    }

    /// @dev Applies one random change, asserting that the registry accepts it exactly when the model's state
    /// machine and scope rules do, and records it in the model when accepted.
    function _applyRandomChange(Timeline memory issuer, Timeline memory accreditor, uint256 r, uint32 reason)
        internal
    {
        if (r % 7 < 4) _changeIssuer(issuer, _current(accreditor), r, reason);
        else _changeAccreditor(accreditor, r, reason);
    }

    function _changeIssuer(Timeline memory issuer, Checkpoint memory ac, uint256 r, uint32 reason) internal {
        uint256 kind = r % 7;
        address actor = (r >> 8) % 2 == 0 ? moe : root;
        Checkpoint memory ic = _current(issuer);
        Checkpoint memory next = Checkpoint(uint40(block.timestamp), ic.status, ic.validUntil, reason);
        bool expectOk;
        bytes memory call;
        if (kind == 0) {
            expectOk = ic.status == IAccreditationRegistry.Status.Active;
            next.status = IAccreditationRegistry.Status.Suspended;
            call = abi.encodeCall(registry.suspend, (actor, college, studentId, reason));
        } else if (kind == 1) {
            expectOk = ic.status == IAccreditationRegistry.Status.Suspended;
            next.status = IAccreditationRegistry.Status.Active;
            call = abi.encodeCall(registry.reinstate, (actor, college, studentId, reason));
        } else if (kind == 2 && (r >> 16) % 3 == 0) {
            // Revocation ends the story; make it rarer so that the other transitions get exercised.
            expectOk = _isLive(ic.status);
            next.status = IAccreditationRegistry.Status.Revoked;
            call = abi.encodeCall(registry.revoke, (actor, college, studentId, reason));
        } else {
            next.validUntil = ic.validUntil + uint40(bound(r >> 24, 0, 120 days));
            expectOk = _isLive(ic.status) && next.validUntil > ic.validUntil && next.validUntil > block.timestamp
                && ac.status == IAccreditationRegistry.Status.Active && ac.validUntil > block.timestamp
                && next.validUntil <= ac.validUntil;
            call = abi.encodeCall(registry.renew, (actor, college, studentId, next.validUntil, reason));
        }
        vm.prank(actor);
        (bool ok,) = address(registry).call(call);
        assertEq(ok, expectOk, "issuer change accepted as the model predicts");
        if (ok) _push(issuer, next.since, next.status, next.validUntil, reason);
    }

    /// @dev The accreditor's own record, changed by the root.
    function _changeAccreditor(Timeline memory accreditor, uint256 r, uint32 reason) internal {
        uint256 kind = r % 7;
        Checkpoint memory ac = _current(accreditor);
        Checkpoint memory next = Checkpoint(uint40(block.timestamp), ac.status, ac.validUntil, reason);
        bool expectOk;
        bytes memory call;
        if (kind == 4) {
            expectOk = ac.status == IAccreditationRegistry.Status.Active;
            next.status = IAccreditationRegistry.Status.Suspended;
            call = abi.encodeCall(registry.suspend, (root, moe, studentId, reason));
        } else if (kind == 5) {
            expectOk = ac.status == IAccreditationRegistry.Status.Suspended;
            next.status = IAccreditationRegistry.Status.Active;
            call = abi.encodeCall(registry.reinstate, (root, moe, studentId, reason));
        } else {
            next.validUntil = ac.validUntil + uint40(bound(r >> 24, 0, 120 days));
            expectOk = _isLive(ac.status) && next.validUntil > ac.validUntil && next.validUntil > block.timestamp;
            call = abi.encodeCall(registry.renew, (root, moe, studentId, next.validUntil, reason));
        }
        vm.prank(root);
        (bool ok,) = address(registry).call(call);
        assertEq(ok, expectOk, "accreditor change accepted as the model predicts");
        if (ok) _push(accreditor, next.since, next.status, next.validUntil, reason);
    }

    function _checkStanding(Timeline memory issuer, Timeline memory accreditor, uint40 at) internal view {
        IAccreditationRegistry.Standing memory actual = registry.standingAt(college, studentId, at);
        assertEq(actual, _expectedStanding(issuer, accreditor, at), string.concat("standingAt ", vm.toString(at)));
    }

    function testFuzz_standingAt_matchesTimelineModel(
        uint256 seed,
        uint256 opCount,
        uint40 grantFrom,
        uint40 grantUntil
    ) public {
        // The college's grant at T0, inside moe's window.
        grantFrom = uint40(bound(grantFrom, ACCREDITOR_FROM, ACCREDITOR_FROM + 100 days));
        grantUntil = uint40(bound(grantUntil, grantFrom + 1, ACCREDITOR_UNTIL - 200 days));
        (Timeline memory issuer, Timeline memory accreditor) =
            _runStory(seed, bound(opCount, 1, MAX_OPS), grantFrom, grantUntil);

        // Every checkpoint boundary of both timelines, and random times around the story.
        for (uint256 i = 0; i < issuer.length; ++i) {
            _checkStanding(issuer, accreditor, issuer.points[i].since);
            _checkStanding(issuer, accreditor, issuer.points[i].since - 1);
        }
        for (uint256 i = 0; i < accreditor.length; ++i) {
            _checkStanding(issuer, accreditor, accreditor.points[i].since);
        }
        _checkStanding(issuer, accreditor, grantFrom);
        _checkStanding(issuer, accreditor, _current(issuer).validUntil);
        for (uint256 k = 0; k < 4; ++k) {
            uint256 r = uint256(keccak256(abi.encode(seed, "query", k)));
            _checkStanding(issuer, accreditor, uint40(bound(r, T0 - 1 days, block.timestamp + 200 days)));
        }
    }

    function _runStory(uint256 seed, uint256 opCount, uint40 grantFrom, uint40 grantUntil)
        internal
        returns (Timeline memory issuer, Timeline memory accreditor)
    {
        _accreditIssuer(moe, college, studentId, grantFrom, grantUntil);
        issuer = Timeline(new Checkpoint[](MAX_OPS + 1), 0, grantFrom);
        accreditor = Timeline(new Checkpoint[](MAX_OPS + 1), 0, ACCREDITOR_FROM);
        _push(issuer, T0, IAccreditationRegistry.Status.Active, grantUntil, REASON_GRANT);
        _push(accreditor, T0, IAccreditationRegistry.Status.Active, ACCREDITOR_UNTIL, REASON_GRANT);
        for (uint256 i = 0; i < opCount; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            // A quarter of the changes land in the same second as the previous one.
            if ((r >> 128) % 4 != 0) vm.warp(block.timestamp + bound(r >> 136, 1, 90 days));
            _applyRandomChange(issuer, accreditor, r, uint32(100 + i));
        }
    }
}
