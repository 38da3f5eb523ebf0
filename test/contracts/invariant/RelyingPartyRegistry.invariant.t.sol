// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";

import {AccreditationRegistry} from "../../../contracts/AccreditationRegistry.sol";
import {DIDRegistry} from "../../../contracts/DIDRegistry.sol";
import {RelyingPartyRegistry} from "../../../contracts/RelyingPartyRegistry.sol";
import {IAccreditationRegistry} from "../../../contracts/interfaces/IAccreditationRegistry.sol";
import {CredentialTypeId} from "../../../contracts/interfaces/ICredentialTypeRegistry.sol";
import {IRelyingPartyRegistry} from "../../../contracts/interfaces/IRelyingPartyRegistry.sol";

import {Base} from "../Base.t.sol";

// The handler lives in this file on purpose (see AccreditationRegistry.invariant.t.sol): the invariant runner
// refuses a target that has no artifact, and `hardhat test solidity <file>` builds only the files it is given.

/// @notice Drives the relying-party registry with random actors (both accreditors, an issuer, the root, a
/// stranger) on random parties and types: registrations, claim changes, suspensions, reinstatements,
/// revocations, accreditor suspensions by the root and time warps. Each action predicts from ghost state whether
/// it may succeed; a success that the rules forbid, or a refusal of an allowed action, is counted.
/// History entries are recorded as they are created, to check later that none ever changes.
contract RelyingPartyHandler is Test {
    struct HistoryEntry {
        address relyingParty;
        uint256 index;
        IAccreditationRegistry.Status status;
        uint40 since;
        uint32 reason;
    }

    RelyingPartyRegistry public immutable rpRegistry;
    AccreditationRegistry public immutable registry;
    DIDRegistry public immutable didRegistry;

    address[] internal _actors; // moe, npa, university, root, stranger
    address[] internal _relyingParties;
    CredentialTypeId[] internal _types; // studentId (moe), driversLicence (npa)

    // Ghost state.
    mapping(address relyingParty => address) public ghostRegistrar;
    mapping(address relyingParty => uint8) public ghostStatus; // 0 none, 1 active, 2 suspended, 3 revoked
    mapping(address relyingParty => uint32) public ghostChanges;
    HistoryEntry[] internal _historyEntries;
    uint256 public unexpectedSuccesses;
    uint256 public unexpectedRefusals;
    uint256 public successes;

    constructor(
        RelyingPartyRegistry rpRegistry_,
        AccreditationRegistry registry_,
        DIDRegistry didRegistry_,
        address[] memory actors_,
        address[] memory relyingParties_,
        CredentialTypeId[] memory types_
    ) {
        rpRegistry = rpRegistry_;
        registry = registry_;
        didRegistry = didRegistry_;
        _actors = actors_;
        _relyingParties = relyingParties_;
        _types = types_;
    }

    function relyingParties() external view returns (address[] memory) {
        return _relyingParties;
    }

    function historyEntryCount() external view returns (uint256) {
        return _historyEntries.length;
    }

    function historyEntry(uint256 i) external view returns (HistoryEntry memory) {
        return _historyEntries[i];
    }

    /// @dev The accreditor in scope for a type right now (the type's governing accreditor, if in force).
    function _inScope(address actor, CredentialTypeId t) internal view returns (bool) {
        return registry.party(actor).role == IAccreditationRegistry.Role.Accreditor
            && registry.standingAt(actor, t, uint40(block.timestamp)).inForce;
    }

    function _tally(bool allowed, bool ok) internal {
        if (ok && !allowed) ++unexpectedSuccesses;
        if (!ok && allowed) ++unexpectedRefusals;
        if (ok) ++successes;
    }

    function register(uint256 actorSeed, uint256 rpSeed, uint256 typeSeed) external {
        address actor = _actors[actorSeed % _actors.length];
        address rp = _relyingParties[rpSeed % _relyingParties.length];
        CredentialTypeId t = _types[typeSeed % _types.length];
        bool allowed = ghostStatus[rp] == 0 && _inScope(actor, t);
        CredentialTypeId[] memory types = new CredentialTypeId[](1);
        types[0] = t;
        bytes32[][] memory claims = new bytes32[][](1);
        claims[0] = new bytes32[](1);
        claims[0][0] = bytes32("age_over_19");
        IRelyingPartyRegistry.Registration memory r = IRelyingPartyRegistry.Registration({
            name: "Shop",
            purpose: "Age check",
            validFrom: uint40(block.timestamp),
            validUntil: uint40(block.timestamp + 90 days),
            reason: 1
        });
        vm.prank(didRegistry.identityOwner(actor));
        bool ok;
        try rpRegistry.registerRelyingParty(actor, rp, r, types, claims) {
            ok = true;
            ghostRegistrar[rp] = actor;
            ghostStatus[rp] = 1;
        } catch {}
        _tally(allowed, ok);
    }

    function setClaims(uint256 actorSeed, uint256 rpSeed, uint256 typeSeed, bool withdraw) external {
        address actor = _actors[actorSeed % _actors.length];
        address rp = _relyingParties[rpSeed % _relyingParties.length];
        CredentialTypeId t = _types[typeSeed % _types.length];
        bool allowed = ghostStatus[rp] != 0 && ghostStatus[rp] != 3 && _inScope(actor, t);
        bytes32[] memory claims = new bytes32[](withdraw ? 0 : 2);
        if (!withdraw) {
            claims[0] = bytes32("birth_date");
            claims[1] = bytes32("family_name");
        }
        vm.prank(didRegistry.identityOwner(actor));
        bool ok;
        try rpRegistry.setClaims(actor, rp, t, claims) {
            ok = true;
        } catch {}
        _tally(allowed, ok);
    }

    function change(uint256 actorSeed, uint256 rpSeed, uint256 op) external {
        address actor = _actors[actorSeed % _actors.length];
        address rp = _relyingParties[rpSeed % _relyingParties.length];
        op = op % 3;
        uint8 s = ghostStatus[rp];
        bool authority = s != 0 && (actor == ghostRegistrar[rp] || actor == registry.root());
        bool transition = op == 0 ? s == 1 : op == 1 ? s == 2 : (s == 1 || s == 2);
        uint8 next = op == 0 ? 2 : op == 1 ? 1 : 3;
        IRelyingPartyRegistry.RelyingParty memory before = rpRegistry.relyingParty(rp);
        vm.prank(didRegistry.identityOwner(actor));
        bool ok;
        if (op == 0) {
            try rpRegistry.suspend(actor, rp, 2) {
                ok = true;
            } catch {}
        } else if (op == 1) {
            try rpRegistry.reinstate(actor, rp, 3) {
                ok = true;
            } catch {}
        } else {
            try rpRegistry.revoke(actor, rp, 4) {
                ok = true;
            } catch {}
        }
        _tally(authority && transition, ok);
        if (ok) {
            _historyEntries.push(HistoryEntry(rp, ghostChanges[rp], before.status, before.since, before.reason));
            ++ghostChanges[rp];
            ghostStatus[rp] = next;
        }
    }

    /// @dev The root suspends or reinstates an accreditor's accreditation, moving it in and out of scope.
    function toggleAccreditor(uint256 typeSeed) external {
        CredentialTypeId t = _types[typeSeed % _types.length];
        address accreditor = registry.credentialType(t).governingAccreditor;
        IAccreditationRegistry.Status s = registry.accreditation(accreditor, t).status;
        address root = registry.root();
        vm.prank(didRegistry.identityOwner(root));
        if (s == IAccreditationRegistry.Status.Active) registry.suspend(root, accreditor, t, 2);
        else if (s == IAccreditationRegistry.Status.Suspended) registry.reinstate(root, accreditor, t, 3);
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 20 days));
    }
}

/// @notice Invariants of the relying-party registry under random governance (see `RelyingPartyHandler`).
contract RelyingPartyRegistryInvariantTest is StdInvariant, Base {
    RelyingPartyHandler internal handler;
    RelyingPartyRegistry internal rpRegistry;

    function setUp() public override {
        super.setUp();
        _deployNetwork();
        rpRegistry = new RelyingPartyRegistry(IAccreditationRegistry(address(registry)));
        address[] memory actors = new address[](5);
        actors[0] = moe;
        actors[1] = npa;
        actors[2] = university;
        actors[3] = root;
        actors[4] = stranger;
        address[] memory rps = new address[](3);
        rps[0] = makeAddr("relying party: shop");
        rps[1] = makeAddr("relying party: bank");
        rps[2] = makeAddr("relying party: bar");
        handler = new RelyingPartyHandler(
            rpRegistry, registry, didRegistry, actors, rps, _types(studentId, driversLicence)
        );
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](7);
        selectors[0] = RelyingPartyHandler.register.selector;
        selectors[1] = RelyingPartyHandler.register.selector;
        selectors[2] = RelyingPartyHandler.setClaims.selector;
        selectors[3] = RelyingPartyHandler.change.selector;
        selectors[4] = RelyingPartyHandler.change.selector;
        selectors[5] = RelyingPartyHandler.toggleAccreditor.selector;
        selectors[6] = RelyingPartyHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev Only accreditors in force for the type registered and set its claims; only registrars and the root changed standing;
    /// every allowed action went through (the rules are exactly those the handler predicts).
    function invariant_onlyAuthorizedActorsAct() public view {
        assertEq(handler.unexpectedSuccesses(), 0, "a forbidden action succeeded");
        assertEq(handler.unexpectedRefusals(), 0, "an allowed action was refused");
    }

    /// @dev The stored status is the one the valid transitions lead to; revoked stays revoked; the registrar is
    /// the one that registered; the change counter counts exactly the changes.
    function invariant_standingFollowsValidTransitions() public view {
        address[] memory rps = handler.relyingParties();
        for (uint256 i = 0; i < rps.length; ++i) {
            IRelyingPartyRegistry.RelyingParty memory p = rpRegistry.relyingParty(rps[i]);
            assertEq(uint8(p.status), handler.ghostStatus(rps[i]), "status");
            assertEq(p.registrar, handler.ghostRegistrar(rps[i]), "registrar");
            assertEq(p.changes, handler.ghostChanges(rps[i]), "changes");
        }
    }

    /// @dev History is append-only: every entry reads as it was when it was written, and entries are in time order.
    function invariant_historyIsAppendOnly() public view {
        uint256 n = handler.historyEntryCount();
        for (uint256 i = 0; i < n; ++i) {
            RelyingPartyHandler.HistoryEntry memory e = handler.historyEntry(i);
            (IAccreditationRegistry.Status status,,, uint40 since,, uint32 reason) =
                rpRegistry.relyingPartyHistory(e.relyingParty, e.index);
            assertEq(uint8(status), uint8(e.status), "history status");
            assertEq(since, e.since, "history since");
            assertEq(reason, e.reason, "history reason");
            if (e.index > 0) {
                (,,, uint40 earlier,,) = rpRegistry.relyingPartyHistory(e.relyingParty, e.index - 1);
                assertLe(earlier, since, "history in time order");
            }
        }
    }
}
