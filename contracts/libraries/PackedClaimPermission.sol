// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice One relying party's claim permission for one credential type, in one storage word, so that granting a
/// type costs a single new slot. Layout (bit offsets): claims digest 0-159 | since 160-199 | setBy party id
/// 200-231 | claim count 232-239 | changes 240-255. A zero word means "never set".
type PackedClaimPermission is uint256;

/// @title PackedClaimPermissionLib
/// @notice Pure packing of claim permissions and the commitment to a claim list; no storage, no I/O.
library PackedClaimPermissionLib {
    struct Fields {
        bytes20 digest;
        uint40 since;
        uint32 setBy;
        uint8 count;
        uint16 changes;
    }

    /// @notice The commitment to a canonical (strictly ascending) claim list: the first 20 bytes of
    /// `keccak256(abi.encodePacked(claims))`; zero for the empty list. 160 bits keep it in one slot beside its
    /// metadata; finding a second list with the same digest would take about 2^160 hashes.
    function digest(bytes32[] calldata claims) internal pure returns (bytes20) {
        if (claims.length == 0) return bytes20(0);
        return bytes20(keccak256(abi.encodePacked(claims)));
    }

    function pack(Fields memory f) internal pure returns (PackedClaimPermission) {
        return PackedClaimPermission.wrap(
            uint256(uint160(f.digest)) | (uint256(f.since) << 160) | (uint256(f.setBy) << 200)
                | (uint256(f.count) << 232) | (uint256(f.changes) << 240)
        );
    }

    function unpack(PackedClaimPermission p) internal pure returns (Fields memory f) {
        uint256 v = PackedClaimPermission.unwrap(p);
        f.digest = bytes20(uint160(v));
        f.since = uint40(v >> 160);
        f.setBy = uint32(v >> 200);
        f.count = uint8(v >> 232);
        f.changes = uint16(v >> 240);
    }

    function since(PackedClaimPermission p) internal pure returns (uint40) {
        return uint40(PackedClaimPermission.unwrap(p) >> 160);
    }

    function changes(PackedClaimPermission p) internal pure returns (uint16) {
        return uint16(PackedClaimPermission.unwrap(p) >> 240);
    }

    function isEmpty(PackedClaimPermission p) internal pure returns (bool) {
        return PackedClaimPermission.unwrap(p) == 0;
    }
}
