// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice Stable identifier of a credential type: `keccak256(abi.encode(name, version))`.
type CredentialTypeId is bytes32;

/// @title Registry of the credential types that the network accepts.
/// @notice Each type (student ID, civil-servant ID, driver's licence, resident ID, ...) has a stable id,
/// a name that matches the Verifiable Credential `type`, a schema version, the hash and URI of its
/// JSON Schema, the accreditor that governs it, and a deprecated flag. Only the root registers types.
interface ICredentialTypeRegistry {
    /// @notice Everything the ledger records about a credential type.
    struct CredentialType {
        string name;
        uint32 version;
        bytes32 schemaHash;
        string schemaUri;
        address governingAccreditor;
        bool deprecated;
        uint40 registeredAt;
    }

    /// @notice No credential type is registered under `id`.
    error CredentialTypeRegistryUnknownType(CredentialTypeId id);
    /// @notice The credential type `id` is deprecated and can no longer be granted.
    error CredentialTypeRegistryDeprecatedType(CredentialTypeId id);
    /// @notice A credential type with the same name and version is already registered.
    error CredentialTypeRegistryDuplicateType(CredentialTypeId id);
    /// @notice The name or schema URI is empty or longer than `maxLength` bytes, or the version is zero.
    error CredentialTypeRegistryInvalidMetadata(uint256 nameLength, uint256 uriLength, uint256 maxLength);
    /// @notice The schema hash is zero.
    error CredentialTypeRegistryZeroSchemaHash();

    /// @notice A credential type was registered.
    event CredentialTypeRegistered(
        CredentialTypeId indexed id,
        address indexed governingAccreditor,
        string name,
        uint32 version,
        bytes32 schemaHash,
        string schemaUri
    );
    /// @notice A credential type was deprecated by the root, for `reason`.
    event CredentialTypeDeprecated(CredentialTypeId indexed id, address indexed root, uint32 reason);

    /// @notice The id of the credential type `name` at schema `version`.
    function credentialTypeId(string calldata name, uint32 version) external pure returns (CredentialTypeId);

    /// @notice Registers a credential type governed by the registered accreditor `governingAccreditor`.
    /// Only the root's owner key.
    function registerCredentialType(
        string calldata name,
        uint32 version,
        bytes32 schemaHash,
        string calldata schemaUri,
        address governingAccreditor
    ) external returns (CredentialTypeId id);

    /// @notice Deprecates a credential type: nobody can be accredited for it any more. Existing accreditations
    /// keep their state, so verifiers decide by policy whether to accept credentials of a deprecated type.
    /// Only the root's owner key.
    function deprecateCredentialType(CredentialTypeId id, uint32 reason) external;

    /// @notice The record of credential type `id`; reverts for an unknown id.
    function credentialType(CredentialTypeId id) external view returns (CredentialType memory);

    /// @notice How many credential types were ever registered.
    function credentialTypeCount() external view returns (uint256);

    /// @notice The id of the `index`-th registered credential type, in registration order.
    function credentialTypeAt(uint256 index) external view returns (CredentialTypeId);
}
