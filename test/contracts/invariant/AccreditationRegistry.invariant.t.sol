// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";

import {AccreditationRegistry} from "../../../contracts/AccreditationRegistry.sol";
import {DIDRegistry} from "../../../contracts/DIDRegistry.sol";
import {IAccreditationRegistry} from "../../../contracts/interfaces/IAccreditationRegistry.sol";
import {CredentialTypeId} from "../../../contracts/interfaces/ICredentialTypeRegistry.sol";
import {IRootGovernance} from "../../../contracts/interfaces/IRootGovernance.sol";

import {Base} from "../Base.t.sol";

// The handler lives in this file on purpose: `hardhat test solidity <file>` writes artifacts only for the test
// files it is given, and the invariant runner refuses a target (`targetSelector`) that has no artifact. A handler
// in its own file works only after a full build.

/// @notice Drives the accreditation registry with bounded random governance: issuer grants with random windows,
/// suspensions, reinstatements, revocations and renewals by the grantor or the root, accreditor changes by the
/// root, ERC-1056 key rotations of every party, root hand-overs, type deprecations and time warps. Alongside, it
/// makes calls that must fail (root-only calls by other keys, calls by keys that do not own the identity they
/// claim, changes by identities without authority, including former roots) and checks the exact error.
/// Ghost state: standings observed in the past, revoked records, and the number of changes of every record.
contract AccreditationHandler is Test {
    struct Observation {
        address party;
        CredentialTypeId credentialType;
        uint40 at;
        IAccreditationRegistry.Standing standing;
    }

    uint256 public constant MAX_OBSERVATIONS = 48;
    uint256 public constant MAX_ROOT_TRANSFERS = 3;

    AccreditationRegistry public immutable registry;
    DIDRegistry public immutable didRegistry;

    address[] internal _accreditors;
    address[] internal _issuers;
    CredentialTypeId[] internal _types;
    address[] internal _formerKeys;
    address[] internal _formerRoots;
    uint256 internal _keyCounter;

    // Ghost state.
    Observation[] internal _observations;
    address[] internal _revokedParties;
    CredentialTypeId[] internal _revokedTypes;
    mapping(address party => mapping(CredentialTypeId credentialType => uint32)) public ghostChanges;
    uint256 public unexpectedSuccesses;
    uint256 public wrongErrors;
    uint256 public forbiddenAttempts;
    uint256 public changesMade;
    uint256 public grantsMade;
    uint256 public rootTransfers;

    constructor(
        AccreditationRegistry registry_,
        DIDRegistry didRegistry_,
        address[] memory accreditors_,
        address[] memory issuers_,
        CredentialTypeId[] memory types_
    ) {
        registry = registry_;
        didRegistry = didRegistry_;
        _accreditors = accreditors_;
        _issuers = issuers_;
        _types = types_;
    }

    // ---- views for the invariants -------------------------------------------------------------------------

    function accreditors() external view returns (address[] memory) {
        return _accreditors;
    }

    function issuers() external view returns (address[] memory) {
        return _issuers;
    }

    function credentialTypes() external view returns (CredentialTypeId[] memory) {
        return _types;
    }

    function observationCount() external view returns (uint256) {
        return _observations.length;
    }

    function observation(uint256 i) external view returns (Observation memory) {
        return _observations[i];
    }

    function revokedCount() external view returns (uint256) {
        return _revokedParties.length;
    }

    function revokedAt(uint256 i) external view returns (address, CredentialTypeId) {
        return (_revokedParties[i], _revokedTypes[i]);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    function _key(address identity) internal view returns (address) {
        return didRegistry.identityOwner(identity);
    }

    function _governing(CredentialTypeId t) internal view returns (address) {
        return registry.credentialType(t).governingAccreditor;
    }

    function _parties(uint256 seed) internal view returns (address) {
        uint256 n = _accreditors.length + _issuers.length;
        uint256 i = seed % n;
        return i < _accreditors.length ? _accreditors[i] : _issuers[i - _accreditors.length];
    }

    function _recordChange(address party, CredentialTypeId t, bool revoked) internal {
        ++ghostChanges[party][t];
        ++changesMade;
        if (revoked) {
            _revokedParties.push(party);
            _revokedTypes.push(t);
        }
    }

    // ---- governance actions -------------------------------------------------------------------------------

    function accreditIssuer(uint256 issuerSeed, uint256 typeSeed, uint256 fromSeed, uint256 lengthSeed) external {
        address issuer = _issuers[issuerSeed % _issuers.length];
        CredentialTypeId t = _types[typeSeed % _types.length];
        address accreditor = _governing(t);
        uint40 from = uint40(bound(fromSeed, block.timestamp - 30 days, block.timestamp + 200 days));
        uint40 until = from + uint40(bound(lengthSeed, 1, 400 days));
        vm.prank(_key(accreditor));
        try registry.accreditIssuer(accreditor, issuer, t, from, until, 1) {
            ++grantsMade;
        } catch {}
    }

    /// @dev kind: 0 suspend, 1 reinstate, 2 renew, 3 revoke (rarer: it ends a record's story).
    function _change(address party, CredentialTypeId t, address actor, uint256 kind, uint256 untilSeed) internal {
        IAccreditationRegistry.Accreditation memory a = registry.accreditation(party, t);
        if (a.status == IAccreditationRegistry.Status.None) return;
        // The second just before a change is where a checkpoint bug would show.
        _observe(party, t, block.timestamp - 1);
        vm.startPrank(_key(actor));
        bool ok;
        if (kind == 0) {
            try registry.suspend(actor, party, t, 2) {
                ok = true;
            } catch {}
        } else if (kind == 1) {
            try registry.reinstate(actor, party, t, 3) {
                ok = true;
            } catch {}
        } else if (kind == 2) {
            uint40 until = a.validUntil + uint40(bound(untilSeed, 1, 200 days));
            try registry.renew(actor, party, t, until, 5) {
                ok = true;
            } catch {}
        } else {
            try registry.revoke(actor, party, t, 4) {
                ok = true;
            } catch {}
        }
        vm.stopPrank();
        if (ok) _recordChange(party, t, kind == 3);
    }

    function changeIssuer(uint256 issuerSeed, uint256 typeSeed, uint256 kindSeed, bool byRoot, uint256 untilSeed)
        external
    {
        address issuer = _issuers[issuerSeed % _issuers.length];
        CredentialTypeId t = _types[typeSeed % _types.length];
        address actor = byRoot ? registry.root() : registry.accreditation(issuer, t).grantor;
        uint256 kind = kindSeed % 10;
        _change(issuer, t, actor, kind == 9 ? 3 : kind % 3, untilSeed);
    }

    function changeAccreditor(uint256 typeSeed, uint256 kindSeed, uint256 untilSeed) external {
        CredentialTypeId t = _types[typeSeed % _types.length];
        uint256 kind = kindSeed % 16;
        // Revoking an accreditor ends every issuer's standing under it: keep it rare.
        _change(_governing(t), t, registry.root(), kind == 15 ? 3 : kind % 3, untilSeed);
    }

    function rotateKey(uint256 identitySeed) external {
        uint256 pick = identitySeed % (_accreditors.length + _issuers.length + 1);
        address identity = pick == 0 ? registry.root() : _parties(pick - 1);
        address oldKey = _key(identity);
        address newKey = vm.addr(0xBEEF0000 + ++_keyCounter);
        vm.prank(oldKey);
        didRegistry.changeOwner(identity, newKey);
        _formerKeys.push(oldKey);
    }

    function transferRoot(bool cancelFirst) external {
        if (rootTransfers >= MAX_ROOT_TRANSFERS) return;
        address current = registry.root();
        address next = vm.addr(0x5007000 + rootTransfers + 1);
        vm.prank(_key(current));
        registry.beginRootTransfer(next);
        if (cancelFirst) {
            vm.prank(_key(current));
            registry.cancelRootTransfer();
            return;
        }
        vm.warp(block.timestamp + registry.rootTransferDelay());
        vm.prank(_key(next));
        registry.acceptRootTransfer();
        _formerRoots.push(current);
        ++rootTransfers;
    }

    function deprecate(uint256 typeSeed, uint256 gate) external {
        if (gate % 8 != 0) return; // rare: it freezes a type for the rest of the run
        CredentialTypeId t = _types[typeSeed % _types.length];
        vm.prank(_key(registry.root()));
        try registry.deprecateCredentialType(t, 6) {} catch {}
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1 hours, 60 days));
        // Time passing turns "now" into the past: observe some of it.
        uint256 r = uint256(keccak256(abi.encode(seconds_)));
        _observe(_parties(r), _types[(r >> 8) % _types.length], r >> 16);
    }

    /// @dev Records the answer for a past time; the invariant re-asks it after every later action.
    function observe(uint256 partySeed, uint256 typeSeed, uint256 atSeed) external {
        // Anywhere from before the network existed to one second ago.
        _observe(_parties(partySeed), _types[typeSeed % _types.length], atSeed);
    }

    function _observe(address party, CredentialTypeId t, uint256 atSeed) internal {
        if (_observations.length >= MAX_OBSERVATIONS) return;
        uint40 at = uint40(bound(atSeed, 1_750_000_000 - 1 days, block.timestamp - 1));
        IAccreditationRegistry.Standing memory s = registry.standingAt(party, t, at);
        _observations.push(Observation(party, t, at, s));
    }

    // ---- calls that must fail -----------------------------------------------------------------------------

    /// @dev A key that is not the current root's: a stranger, a rotated-away key, an accreditor's or an issuer's
    /// key, or a former root's key.
    function _notRootKey(uint256 seed) internal view returns (address caller) {
        uint256 kind = seed % 4;
        if (kind == 0 && _formerKeys.length > 0) caller = _formerKeys[(seed >> 8) % _formerKeys.length];
        else if (kind == 1) caller = _key(_parties(seed >> 8));
        else if (kind == 2 && _formerRoots.length > 0) caller = _key(_formerRoots[(seed >> 8) % _formerRoots.length]);
        else caller = address(uint160(uint256(keccak256(abi.encode("stranger", seed)))));
    }

    function _check(bool ok, bytes memory err, bytes memory expected) internal {
        ++forbiddenAttempts;
        if (ok) ++unexpectedSuccesses;
        else if (keccak256(err) != keccak256(expected)) ++wrongErrors;
    }

    function forbiddenRootCall(uint256 callerSeed, uint256 op) external {
        address caller = _notRootKey(callerSeed);
        address root = registry.root();
        if (caller == _key(root)) return;
        CredentialTypeId t = _types[op % _types.length];
        CredentialTypeId[] memory types = new CredentialTypeId[](1);
        types[0] = t;
        address fresh = address(uint160(uint256(keccak256(abi.encode("fresh", callerSeed)))));
        bytes memory call;
        uint256 which = (op >> 8) % 6;
        if (which == 0) call = abi.encodeCall(registry.registerAccreditor, (fresh, "Fresh ministry"));
        else if (which == 1) {
            call = abi.encodeCall(
                registry.registerCredentialType, ("Fresh", 1, bytes32(uint256(1)), "u", _accreditors[0])
            );
        }
        else if (which == 2) call = abi.encodeCall(registry.deprecateCredentialType, (t, 6));
        else if (which == 3) {
            call = abi.encodeCall(
                registry.accreditAccreditor,
                (_governing(t), types, uint40(block.timestamp), uint40(block.timestamp + 1 days), 1)
            );
        } else if (which == 4) call = abi.encodeCall(registry.beginRootTransfer, (fresh));
        else call = abi.encodeCall(registry.cancelRootTransfer, ());
        vm.prank(caller);
        (bool ok, bytes memory err) = address(registry).call(call);
        _check(ok, err, abi.encodeWithSelector(IRootGovernance.RootGovernanceUnauthorized.selector, caller, root));
    }

    /// @dev A key acting for an identity it does not own (a stranger, or a key rotated away from it).
    function forbiddenKeyCall(uint256 callerSeed, uint256 actorSeed, uint256 op) external {
        address actor = actorSeed % 3 == 0 ? registry.root() : _accreditors[actorSeed % _accreditors.length];
        address caller = callerSeed % 2 == 0 && _formerKeys.length > 0
            ? _formerKeys[(callerSeed >> 8) % _formerKeys.length]
            : address(uint160(uint256(keccak256(abi.encode("stranger", callerSeed)))));
        if (caller == _key(actor)) return;
        address issuer = _issuers[op % _issuers.length];
        CredentialTypeId t = _types[(op >> 8) % _types.length];
        bytes memory call;
        uint256 which = (op >> 16) % 4;
        if (which == 0) {
            call = abi.encodeCall(
                registry.accreditIssuer,
                (actor, issuer, t, uint40(block.timestamp), uint40(block.timestamp + 1 days), 1)
            );
        } else if (which == 1) call = abi.encodeCall(registry.registerIssuer, (actor, caller, "Impostor"));
        else if (which == 2) call = abi.encodeCall(registry.suspend, (actor, issuer, t, 2));
        else call = abi.encodeCall(registry.renew, (actor, issuer, t, type(uint40).max, 5));
        vm.prank(caller);
        (bool ok, bytes memory err) = address(registry).call(call);
        _check(
            ok,
            err,
            abi.encodeWithSelector(IAccreditationRegistry.AccreditationRegistryUnauthorized.selector, caller, actor)
        );
    }

    /// @dev An identity acting with its own current key, over a record it has no authority on: a former root,
    /// an accreditor that is not the grantor, an issuer, or an unregistered identity.
    function forbiddenAuthorityCall(uint256 actorSeed, uint256 partySeed, uint256 typeSeed, uint256 op) external {
        address party = _parties(partySeed);
        CredentialTypeId t = _types[typeSeed % _types.length];
        IAccreditationRegistry.Accreditation memory a = registry.accreditation(party, t);
        if (a.status == IAccreditationRegistry.Status.None) {
            party = _governing(t); // accreditors keep their record for the whole run
            a = registry.accreditation(party, t);
        }
        uint256 kind = actorSeed % 4;
        address actor;
        if (kind == 0 && _formerRoots.length > 0) actor = _formerRoots[(actorSeed >> 8) % _formerRoots.length];
        else if (kind == 1) actor = _accreditors[(actorSeed >> 8) % _accreditors.length];
        else if (kind == 2) actor = _issuers[(actorSeed >> 8) % _issuers.length];
        else actor = address(uint160(uint256(keccak256(abi.encode("outsider", actorSeed)))));
        // The current root, and the accreditor that granted the record, do have authority. A former root that
        // granted an accreditor's record does not: it stays in the test.
        if (actor == registry.root()) return;
        if (actor == a.grantor && registry.party(actor).role == IAccreditationRegistry.Role.Accreditor) return;

        bytes memory call;
        uint256 which = op % 4;
        if (which == 0) call = abi.encodeCall(registry.suspend, (actor, party, t, 2));
        else if (which == 1) call = abi.encodeCall(registry.reinstate, (actor, party, t, 3));
        else if (which == 2) call = abi.encodeCall(registry.revoke, (actor, party, t, 4));
        else call = abi.encodeCall(registry.renew, (actor, party, t, a.validUntil + 1, 5));
        vm.prank(_key(actor));
        (bool ok, bytes memory err) = address(registry).call(call);
        _check(
            ok,
            err,
            abi.encodeWithSelector(IAccreditationRegistry.AccreditationRegistryNotAuthority.selector, actor, party, t)
        );
    }

    /// @dev Accept a root hand-over without being the pending root (or with none pending).
    function forbiddenAccept(uint256 callerSeed) external {
        (address pending,) = registry.pendingRoot();
        address caller = _notRootKey(callerSeed);
        if (pending != address(0) && caller == _key(pending)) return;
        vm.prank(caller);
        (bool ok,) = address(registry).call(abi.encodeCall(registry.acceptRootTransfer, ()));
        ++forbiddenAttempts;
        if (ok) ++unexpectedSuccesses;
    }
}

/// @notice Invariants of the accreditation registry under random governance, key rotations, root hand-overs,
/// deprecations, time warps and forbidden calls (see `AccreditationHandler`).
contract AccreditationRegistryInvariantTest is StdInvariant, Base {
    AccreditationHandler internal handler;
    address internal college;
    CredentialTypeId internal diploma;

    function setUp() public override {
        super.setUp();
        _deployNetwork();
        college = makeAddr("issuer: Community College");
        _registerIssuer(moe, college, "Community College");
        diploma = _registerType("UniversityDiplomaCredential", 1, moe);
        // A window that starts later: issuers granted early for it are Pending.
        _accreditAccreditor(moe, diploma, T0 + 30 days, T0 + 500 days);

        address[] memory accreditors = new address[](2);
        accreditors[0] = moe;
        accreditors[1] = npa;
        address[] memory issuers = new address[](3);
        issuers[0] = university;
        issuers[1] = college;
        issuers[2] = licensingOffice;
        CredentialTypeId[] memory types = new CredentialTypeId[](3);
        types[0] = studentId;
        types[1] = diploma;
        types[2] = driversLicence;
        handler = new AccreditationHandler(registry, didRegistry, accreditors, issuers, types);

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](14);
        selectors[0] = AccreditationHandler.accreditIssuer.selector;
        selectors[1] = AccreditationHandler.accreditIssuer.selector;
        selectors[2] = AccreditationHandler.changeIssuer.selector;
        selectors[3] = AccreditationHandler.changeIssuer.selector;
        selectors[4] = AccreditationHandler.changeAccreditor.selector;
        selectors[5] = AccreditationHandler.rotateKey.selector;
        selectors[6] = AccreditationHandler.transferRoot.selector;
        selectors[7] = AccreditationHandler.deprecate.selector;
        selectors[8] = AccreditationHandler.warp.selector;
        selectors[9] = AccreditationHandler.observe.selector;
        selectors[10] = AccreditationHandler.forbiddenRootCall.selector;
        selectors[11] = AccreditationHandler.forbiddenKeyCall.selector;
        selectors[12] = AccreditationHandler.forbiddenAuthorityCall.selector;
        selectors[13] = AccreditationHandler.forbiddenAccept.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev Once a time is in the past, `standingAt` for it answers the same, field for field, forever.
    function invariant_historicalStandingNeverChanges() public view {
        uint256 n = handler.observationCount();
        for (uint256 i = 0; i < n; ++i) {
            AccreditationHandler.Observation memory o = handler.observation(i);
            assertTrue(o.standing.final_, "observed answers were final");
            assertEq(registry.standingAt(o.party, o.credentialType, o.at), o.standing, "a past answer changed");
        }
    }

    /// @dev Every issuer accreditation was granted by the type's governing accreditor, which holds a record for
    /// the type whose window contains the issuer's window.
    function invariant_issuerAccreditationsLieWithinAccreditorScope() public view {
        address[] memory issuers = handler.issuers();
        CredentialTypeId[] memory types = handler.credentialTypes();
        for (uint256 i = 0; i < issuers.length; ++i) {
            for (uint256 j = 0; j < types.length; ++j) {
                IAccreditationRegistry.Accreditation memory a = registry.accreditation(issuers[i], types[j]);
                if (a.status == IAccreditationRegistry.Status.None) continue;
                assertEq(
                    registry.party(a.grantor).role, IAccreditationRegistry.Role.Accreditor, "grantor is an accreditor"
                );
                assertEq(a.grantor, registry.credentialType(types[j]).governingAccreditor, "grantor governs the type");
                IAccreditationRegistry.Accreditation memory scope = registry.accreditation(a.grantor, types[j]);
                assertTrue(scope.status != IAccreditationRegistry.Status.None, "grantor holds a record for the type");
                assertGe(a.validFrom, scope.validFrom, "issuer window starts inside the accreditor's");
                assertLe(a.validUntil, scope.validUntil, "issuer window ends inside the accreditor's");
                assertLt(a.validFrom, a.validUntil, "issuer window is not empty");
            }
        }
    }

    /// @dev Nobody without the role changed anything, and every refusal named the right reason.
    function invariant_unauthorizedCallsNeverSucceed() public view {
        assertEq(handler.unexpectedSuccesses(), 0, "a forbidden call succeeded");
        assertEq(handler.wrongErrors(), 0, "a forbidden call failed with an unexpected error");
    }

    function invariant_revokedAccreditationsStayRevoked() public view {
        uint256 n = handler.revokedCount();
        for (uint256 i = 0; i < n; ++i) {
            (address party, CredentialTypeId t) = handler.revokedAt(i);
            assertEq(registry.accreditation(party, t).status, IAccreditationRegistry.Status.Revoked, "revoked");
        }
    }

    /// @dev Each record's change counter counts exactly the changes made, and its history is in time order.
    function invariant_historyIsCompleteAndOrdered() public view {
        address[] memory issuers = handler.issuers();
        address[] memory accreditors = handler.accreditors();
        CredentialTypeId[] memory types = handler.credentialTypes();
        for (uint256 j = 0; j < types.length; ++j) {
            for (uint256 i = 0; i < issuers.length; ++i) {
                _checkHistory(issuers[i], types[j]);
            }
            for (uint256 i = 0; i < accreditors.length; ++i) {
                _checkHistory(accreditors[i], types[j]);
            }
        }
    }

    function _checkHistory(address party, CredentialTypeId t) internal view {
        IAccreditationRegistry.Accreditation memory current = registry.accreditation(party, t);
        assertEq(current.changes, handler.ghostChanges(party, t), "changes counted");
        uint40 previous;
        for (uint256 k = 0; k < current.changes; ++k) {
            IAccreditationRegistry.Accreditation memory h = registry.accreditationHistory(party, t, k);
            assertEq(h.changes, k, "history entry k has k earlier changes");
            assertGe(h.since, previous, "history in time order");
            assertEq(h.grantor, current.grantor, "grantor never changes");
            assertEq(h.validFrom, current.validFrom, "validFrom never changes");
            previous = h.since;
        }
        assertGe(current.since, previous, "current is the latest");
    }
}
