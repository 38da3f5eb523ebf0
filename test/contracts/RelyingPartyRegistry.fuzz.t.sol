// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccreditationRegistry} from "../../contracts/interfaces/IAccreditationRegistry.sol";
import {IRelyingPartyRegistry} from "../../contracts/interfaces/IRelyingPartyRegistry.sol";

import {RelyingPartyBase} from "./RelyingPartyRegistry.t.sol";

/// @notice Property tests of the relying-party registry: window validation against a closed-form rule, the
/// canonical claim-list rule and its digest, and a timeline model of `standingAt` under random changes.
contract RelyingPartyRegistryFuzzTest is RelyingPartyBase {
    function testFuzz_register_acceptsExactlyTheValidWindows(uint40 from, uint40 until, uint256 elapsed) public {
        elapsed = bound(elapsed, 0, 700 days);
        vm.warp(T0 + elapsed);
        from = uint40(bound(from, T0 - 100 days, T0 + 900 days));
        until = uint40(bound(until, T0 - 100 days, T0 + 900 days));
        IRelyingPartyRegistry.Registration memory r = _registration("Shop");
        r.validFrom = from;
        r.validUntil = until;
        bool valid = from < until && until > block.timestamp;
        // moe's own accreditation for student IDs ends at ACCREDITOR_UNTIL: past it, moe is out of scope.
        bool inScope = block.timestamp < ACCREDITOR_UNTIL;
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IRelyingPartyRegistry.RelyingPartyRegistryInvalidWindow.selector, from, until, uint40(block.timestamp)
                )
            );
        } else if (!inScope) {
            vm.expectRevert(
                abi.encodeWithSelector(IRelyingPartyRegistry.RelyingPartyRegistryOutOfScope.selector, moe, studentId)
            );
        }
        vm.prank(moe);
        rpRegistry.registerRelyingParty(moe, shop, r, _types(studentId), _claimLists(_claims(bytes32("a"))));
        if (valid && inScope) {
            IRelyingPartyRegistry.RelyingParty memory p = rpRegistry.relyingParty(shop);
            assertEq(p.validFrom, from, "validFrom");
            assertEq(p.validUntil, until, "validUntil");
        }
    }

    function testFuzz_claims_acceptedIffStrictlyAscendingAndNonZero(bytes32[] memory claims) public {
        vm.assume(claims.length > 0 && claims.length <= 32);
        uint256 bad = type(uint256).max;
        for (uint256 i = 0; i < claims.length; ++i) {
            if (claims[i] == bytes32(0) || (i > 0 && uint256(claims[i]) <= uint256(claims[i - 1]))) {
                bad = i;
                break;
            }
        }
        if (bad != type(uint256).max) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IRelyingPartyRegistry.RelyingPartyRegistryClaimsNotCanonical.selector, studentId, bad
                )
            );
        }
        vm.prank(moe);
        rpRegistry.registerRelyingParty(moe, shop, _registration("Shop"), _types(studentId), _claimLists(claims));
        if (bad == type(uint256).max) {
            IRelyingPartyRegistry.ClaimPermission memory p = rpRegistry.claimsAt(shop, studentId, uint40(block.timestamp));
            assertEq(p.claimsDigest, bytes20(keccak256(abi.encodePacked(claims))), "digest");
            assertEq(p.claimCount, claims.length, "count");
        }
    }

    function testFuzz_claims_sortedRandomSetsAlwaysAccepted(uint256 seed, uint8 countSeed) public {
        uint256 count = bound(countSeed, 1, 32);
        bytes32[] memory claims = new bytes32[](count);
        uint256 value = 0;
        for (uint256 i = 0; i < count; ++i) {
            // Strictly increasing by at least 1, never overflowing: each step is below 2^240.
            value += 1 + (uint256(keccak256(abi.encode(seed, i))) >> 16);
            claims[i] = bytes32(value);
        }
        vm.prank(moe);
        rpRegistry.registerRelyingParty(moe, shop, _registration("Shop"), _types(studentId), _claimLists(claims));
        assertEq(rpRegistry.claimsAt(shop, studentId, uint40(block.timestamp)).claimCount, count, "count");
    }

    /// @dev Random sequences of suspend/reinstate/revoke at random times; `standingAt` at every step boundary and
    /// in between must agree with a model that replays the sequence.
    function testFuzz_standingAt_matchesATimelineModel(uint256 seed) public {
        _registerShop();
        uint8[] memory modelStatus = new uint8[](12);
        uint40[] memory modelSince = new uint40[](12);
        modelStatus[0] = 1;
        modelSince[0] = uint40(block.timestamp);
        uint256 steps = 1;
        uint8 status = 1;
        for (uint256 i = 0; i < 11; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            vm.warp(block.timestamp + 1 + (r % 5 days));
            uint256 op = (r >> 64) % 3;
            address actor = (r >> 128) % 2 == 0 ? moe : root;
            vm.prank(actor);
            if (op == 0) {
                try rpRegistry.suspend(actor, shop, REASON_SUSPEND) {
                    assertEq(status, 1, "suspend only from active");
                    status = 2;
                } catch {
                    assertTrue(status != 1, "suspend refused while active");
                    continue;
                }
            } else if (op == 1) {
                try rpRegistry.reinstate(actor, shop, REASON_REINSTATE) {
                    assertEq(status, 2, "reinstate only from suspended");
                    status = 1;
                } catch {
                    assertTrue(status != 2, "reinstate refused while suspended");
                    continue;
                }
            } else {
                try rpRegistry.revoke(actor, shop, REASON_REVOKE) {
                    assertTrue(status == 1 || status == 2, "revoke only from active or suspended");
                    status = 3;
                } catch {
                    assertEq(status, 3, "revoke refused only when revoked");
                    continue;
                }
            }
            modelStatus[steps] = status;
            modelSince[steps] = uint40(block.timestamp);
            ++steps;
        }
        vm.warp(block.timestamp + 1);
        for (uint256 k = 0; k < steps; ++k) {
            uint40 end = k + 1 < steps ? modelSince[k + 1] : uint40(block.timestamp);
            uint40 mid = modelSince[k] + (end - modelSince[k]) / 2;
            IRelyingPartyRegistry.RelyingPartyStanding memory s = rpRegistry.standingAt(shop, mid);
            IAccreditationRegistry.Status expected = IAccreditationRegistry.Status(modelStatus[k]);
            if (modelStatus[k] == 1 && mid >= RP_UNTIL) expected = IAccreditationRegistry.Status.Expired;
            assertEq(s.status, expected, "status at step");
            assertEq(s.since, modelSince[k], "since at step");
            assertEq(s.inForce, expected == IAccreditationRegistry.Status.Active, "inForce at step");
        }
        assertEq(rpRegistry.relyingParty(shop).changes, steps - 1, "one history entry per change");
    }
}
