// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {PackedAccreditation, PackedAccreditationLib} from "../../../contracts/libraries/PackedAccreditation.sol";

/// @notice The packed accreditation word: every field survives a round trip, the accessors agree with `unpack`,
/// and the layout is the documented one (the registry's `_grant` writes it by hand, so it must not drift).
contract PackedAccreditationTest is Test {
    using PackedAccreditationLib for PackedAccreditation;

    /// @dev Bits 5-7 are unused by the layout: `unpack` ignores them, `pack` never sets them.
    uint256 internal constant UNUSED_BITS = 0xe0;

    function _fields(
        uint8 status,
        bool deprecated,
        uint40 from,
        uint40 until,
        uint40 since,
        uint32 grantor,
        uint32 changedBy,
        uint32 reason,
        uint32 changes
    ) internal pure returns (PackedAccreditationLib.Fields memory) {
        return PackedAccreditationLib.Fields({
            status: status,
            typeDeprecated: deprecated,
            validFrom: from,
            validUntil: until,
            since: since,
            grantor: grantor,
            changedBy: changedBy,
            reason: reason,
            changes: changes
        });
    }

    function _assertFieldsEq(PackedAccreditationLib.Fields memory a, PackedAccreditationLib.Fields memory b)
        internal
        pure
    {
        assertEq(a.status, b.status, "status");
        assertEq(a.typeDeprecated, b.typeDeprecated, "typeDeprecated");
        assertEq(a.validFrom, b.validFrom, "validFrom");
        assertEq(a.validUntil, b.validUntil, "validUntil");
        assertEq(a.since, b.since, "since");
        assertEq(a.grantor, b.grantor, "grantor");
        assertEq(a.changedBy, b.changedBy, "changedBy");
        assertEq(a.reason, b.reason, "reason");
        assertEq(a.changes, b.changes, "changes");
    }

    function testFuzz_packUnpack_roundTrips(
        uint8 status,
        bool deprecated,
        uint40 from,
        uint40 until,
        uint40 since,
        uint32 grantor,
        uint32 changedBy,
        uint32 reason,
        uint32 changes
    ) public pure {
        status = uint8(bound(status, 0, 15)); // four bits of status
        PackedAccreditationLib.Fields memory f =
            _fields(status, deprecated, from, until, since, grantor, changedBy, reason, changes);
        PackedAccreditation p = PackedAccreditationLib.pack(f);
        _assertFieldsEq(p.unpack(), f);

        assertEq(p.status(), status, "status()");
        assertEq(p.typeDeprecated(), deprecated, "typeDeprecated()");
        assertEq(p.since(), since, "since()");
        assertEq(p.changes(), changes, "changes()");
        assertEq(PackedAccreditation.unwrap(p) & UNUSED_BITS, 0, "unused bits stay clear");
    }

    function testFuzz_unpackPack_keepsEveryUsedBit(uint256 word) public pure {
        PackedAccreditation p = PackedAccreditation.wrap(word);
        assertEq(PackedAccreditation.unwrap(PackedAccreditationLib.pack(p.unpack())), word & ~UNUSED_BITS);
        assertEq(p.isEmpty(), word == 0, "isEmpty");
    }

    function testFuzz_pack_statusNeverLeaksIntoTheFlag(uint8 status) public pure {
        PackedAccreditationLib.Fields memory f = _fields(status, false, 0, 0, 0, 0, 0, 0, 0);
        PackedAccreditation p = PackedAccreditationLib.pack(f);
        assertEq(p.status(), status & 0x0f, "status masked to four bits");
        assertFalse(p.typeDeprecated(), "flag untouched by any status value");
    }

    function testFuzz_withTypeDeprecated_setsOnlyTheFlag(uint256 word) public pure {
        word &= ~UNUSED_BITS;
        PackedAccreditation p = PackedAccreditation.wrap(word);
        PackedAccreditation flagged = p.withTypeDeprecated();
        assertEq(PackedAccreditation.unwrap(flagged), word | 0x10, "one bit");
        PackedAccreditationLib.Fields memory before = p.unpack();
        before.typeDeprecated = true;
        _assertFieldsEq(flagged.unpack(), before);
        assertEq(
            PackedAccreditation.unwrap(flagged.withTypeDeprecated()), PackedAccreditation.unwrap(flagged), "idempotent"
        );
    }

    /// @dev The documented bit offsets, with every field at its maximum next to zeros.
    function test_pack_matchesDocumentedLayout() public pure {
        PackedAccreditationLib.Fields memory f = _fields(3, true, 1, 2, 3, 4, 5, 6, 7);
        uint256 expected = 3 | (1 << 4) | (uint256(1) << 8) | (uint256(2) << 48) | (uint256(3) << 88)
            | (uint256(4) << 128) | (uint256(5) << 160) | (uint256(6) << 192) | (uint256(7) << 224);
        assertEq(PackedAccreditation.unwrap(PackedAccreditationLib.pack(f)), expected);

        f = _fields(15, false, type(uint40).max, 0, type(uint40).max, 0, type(uint32).max, 0, type(uint32).max);
        PackedAccreditation p = PackedAccreditationLib.pack(f);
        _assertFieldsEq(p.unpack(), f);
    }
}
