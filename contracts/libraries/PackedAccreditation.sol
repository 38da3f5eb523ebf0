// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice One accreditation in one storage word, so that granting costs a single new slot.
/// Layout (bit offsets): status 0-3 | type-deprecated flag 4 | validFrom 8-47 | validUntil 48-87 | since 88-127 |
/// grantor party id 128-159 | changedBy party id 160-191 | reason 192-223 | changes 224-255.
type PackedAccreditation is uint256;

/// @title PackedAccreditationLib
/// @notice Pure packing of accreditation records; no storage, no I/O.
library PackedAccreditationLib {
    /// @notice The unpacked fields. `status` is the raw stored status (0 none, 1 active, 2 suspended, 3 revoked).
    /// `typeDeprecated` is set only on the governing accreditor's record when its type is deprecated, so that
    /// granting the type to an issuer needs no extra read of the type registry.
    struct Fields {
        uint8 status;
        bool typeDeprecated;
        uint40 validFrom;
        uint40 validUntil;
        uint40 since;
        uint32 grantor;
        uint32 changedBy;
        uint32 reason;
        uint32 changes;
    }

    function pack(Fields memory f) internal pure returns (PackedAccreditation) {
        return PackedAccreditation.wrap(
            uint256(f.status & 0x0f) | (f.typeDeprecated ? uint256(0x10) : 0) | (uint256(f.validFrom) << 8)
                | (uint256(f.validUntil) << 48) | (uint256(f.since) << 88) | (uint256(f.grantor) << 128)
                | (uint256(f.changedBy) << 160) | (uint256(f.reason) << 192) | (uint256(f.changes) << 224)
        );
    }

    function unpack(PackedAccreditation p) internal pure returns (Fields memory f) {
        uint256 v = PackedAccreditation.unwrap(p);
        f.status = uint8(v) & 0x0f;
        f.typeDeprecated = v & 0x10 != 0;
        f.validFrom = uint40(v >> 8);
        f.validUntil = uint40(v >> 48);
        f.since = uint40(v >> 88);
        f.grantor = uint32(v >> 128);
        f.changedBy = uint32(v >> 160);
        f.reason = uint32(v >> 192);
        f.changes = uint32(v >> 224);
    }

    function status(PackedAccreditation p) internal pure returns (uint8) {
        return uint8(PackedAccreditation.unwrap(p)) & 0x0f;
    }

    function typeDeprecated(PackedAccreditation p) internal pure returns (bool) {
        return PackedAccreditation.unwrap(p) & 0x10 != 0;
    }

    function withTypeDeprecated(PackedAccreditation p) internal pure returns (PackedAccreditation) {
        return PackedAccreditation.wrap(PackedAccreditation.unwrap(p) | 0x10);
    }

    function since(PackedAccreditation p) internal pure returns (uint40) {
        return uint40(PackedAccreditation.unwrap(p) >> 88);
    }

    function changes(PackedAccreditation p) internal pure returns (uint32) {
        return uint32(PackedAccreditation.unwrap(p) >> 224);
    }

    function isEmpty(PackedAccreditation p) internal pure returns (bool) {
        return PackedAccreditation.unwrap(p) == 0;
    }
}
