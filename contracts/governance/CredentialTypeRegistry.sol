// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICredentialTypeRegistry, CredentialTypeId} from "../interfaces/ICredentialTypeRegistry.sol";

/// @title CredentialTypeRegistry
/// @notice Storage and rules of the credential type registry. It is a module of the accreditation registry
/// (one contract) because every grant checks its type: a call to a separate contract would add ~2,600 gas
/// to each accreditation. Who may register is left to the contract that includes it.
abstract contract CredentialTypeRegistry is ICredentialTypeRegistry {
    /// @notice Longest accepted name or schema URI, in bytes.
    uint256 public constant MAX_METADATA_LENGTH = 256;

    /// @dev Fixed-size part of a type record, one slot: the strings live beside it.
    struct TypeSlot {
        address governingAccreditor;
        uint32 version;
        uint40 registeredAt;
        bool deprecated;
    }

    mapping(CredentialTypeId id => TypeSlot) private _types;
    mapping(CredentialTypeId id => bytes32) private _schemaHashes;
    mapping(CredentialTypeId id => string) private _names;
    mapping(CredentialTypeId id => string) private _schemaUris;
    CredentialTypeId[] private _typeIds;

    /// @inheritdoc ICredentialTypeRegistry
    function credentialTypeId(string calldata name, uint32 version) public pure returns (CredentialTypeId) {
        return CredentialTypeId.wrap(keccak256(abi.encode(name, version)));
    }

    /// @inheritdoc ICredentialTypeRegistry
    function credentialType(CredentialTypeId id) external view returns (CredentialType memory t) {
        TypeSlot memory slot = _types[id];
        if (slot.registeredAt == 0) revert CredentialTypeRegistryUnknownType(id);
        t = CredentialType({
            name: _names[id],
            version: slot.version,
            schemaHash: _schemaHashes[id],
            schemaUri: _schemaUris[id],
            governingAccreditor: slot.governingAccreditor,
            deprecated: slot.deprecated,
            registeredAt: slot.registeredAt
        });
    }

    /// @inheritdoc ICredentialTypeRegistry
    function credentialTypeCount() external view returns (uint256) {
        return _typeIds.length;
    }

    /// @inheritdoc ICredentialTypeRegistry
    function credentialTypeAt(uint256 index) external view returns (CredentialTypeId) {
        return _typeIds[index];
    }

    function _registerCredentialType(
        string calldata name,
        uint32 version,
        bytes32 schemaHash,
        string calldata schemaUri,
        address governingAccreditor
    ) internal returns (CredentialTypeId id) {
        uint256 nameLength = bytes(name).length;
        uint256 uriLength = bytes(schemaUri).length;
        if (
            nameLength == 0 || uriLength == 0 || nameLength > MAX_METADATA_LENGTH || uriLength > MAX_METADATA_LENGTH
                || version == 0
        ) {
            revert CredentialTypeRegistryInvalidMetadata(nameLength, uriLength, MAX_METADATA_LENGTH);
        }
        if (schemaHash == bytes32(0)) revert CredentialTypeRegistryZeroSchemaHash();
        id = credentialTypeId(name, version);
        if (_types[id].registeredAt != 0) revert CredentialTypeRegistryDuplicateType(id);
        _types[id] = TypeSlot({
            governingAccreditor: governingAccreditor,
            version: version,
            registeredAt: uint40(block.timestamp),
            deprecated: false
        });
        _schemaHashes[id] = schemaHash;
        _names[id] = name;
        _schemaUris[id] = schemaUri;
        _typeIds.push(id);
        emit CredentialTypeRegistered(id, governingAccreditor, name, version, schemaHash, schemaUri);
    }

    /// @dev Returns the type's governing accreditor, whose record the registry flags.
    function _deprecateCredentialType(CredentialTypeId id, address root_, uint32 reason)
        internal
        returns (address governingAccreditor)
    {
        TypeSlot storage slot = _types[id];
        if (slot.registeredAt == 0) revert CredentialTypeRegistryUnknownType(id);
        if (slot.deprecated) revert CredentialTypeRegistryDeprecatedType(id);
        slot.deprecated = true;
        emit CredentialTypeDeprecated(id, root_, reason);
        return slot.governingAccreditor;
    }

    /// @dev Reverts unless `id` is registered and not deprecated; returns its governing accreditor.
    function _requireGrantableType(CredentialTypeId id) internal view returns (address governingAccreditor) {
        TypeSlot memory slot = _types[id];
        if (slot.registeredAt == 0) revert CredentialTypeRegistryUnknownType(id);
        if (slot.deprecated) revert CredentialTypeRegistryDeprecatedType(id);
        return slot.governingAccreditor;
    }
}
