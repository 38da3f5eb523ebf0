// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {AccreditationRegistry} from "../../contracts/AccreditationRegistry.sol";
import {DIDRegistry} from "../../contracts/DIDRegistry.sol";
import {StatusRegistry} from "../../contracts/StatusRegistry.sol";
import {IAccreditationRegistry} from "../../contracts/interfaces/IAccreditationRegistry.sol";
import {CredentialTypeId} from "../../contracts/interfaces/ICredentialTypeRegistry.sol";
import {IIdentityRegistry} from "../../contracts/interfaces/IIdentityRegistry.sol";
import {IStatusRegistry} from "../../contracts/interfaces/IStatusRegistry.sol";

/// @notice Shared fixture: the three ledger contracts, the named parties of the network and helpers that act
/// through each party's *current* ERC-1056 owner key, so that the helpers keep working after a key rotation.
/// @dev `setUp` only deploys; `_deployNetwork` builds the usual trust chain (root -> ministries -> issuers).
/// Suites call what they need so that each test states its own preconditions.
abstract contract Base is Test {
    // -------------------------------------------------------------------------------------------------------
    // Constants
    // -------------------------------------------------------------------------------------------------------

    string internal constant ROOT_NAME = "Ministry of the Interior and Safety";
    uint48 internal constant ROOT_TRANSFER_DELAY = 2 days;

    /// @dev A realistic "now"; Hardhat's Solidity tests start at timestamp 1.
    uint40 internal constant T0 = 1_750_000_000;

    /// @dev Windows of the default network: the ministries for two years, the issuers for one.
    uint40 internal constant ACCREDITOR_FROM = T0;
    uint40 internal constant ACCREDITOR_UNTIL = T0 + 730 days;
    uint40 internal constant ISSUER_FROM = T0;
    uint40 internal constant ISSUER_UNTIL = T0 + 365 days;

    /// @dev Reason codes (any non-zero value is a reason; distinct values make event checks meaningful).
    uint32 internal constant REASON_GRANT = 1;
    uint32 internal constant REASON_SUSPEND = 2;
    uint32 internal constant REASON_REINSTATE = 3;
    uint32 internal constant REASON_REVOKE = 4;
    uint32 internal constant REASON_RENEW = 5;
    uint32 internal constant REASON_DEPRECATE = 6;

    uint8 internal constant LIST_LOG2 = 17; // 131,072 entries, 512 words
    uint256 internal constant LIST_SIZE = uint256(1) << LIST_LOG2;
    uint256 internal constant LIST_WORDS = LIST_SIZE / 256;

    // -------------------------------------------------------------------------------------------------------
    // Contracts and actors
    // -------------------------------------------------------------------------------------------------------

    DIDRegistry internal didRegistry;
    AccreditationRegistry internal registry;
    StatusRegistry internal statusRegistry;

    address internal root;
    address internal moe; // Ministry of Education: governs the student ID
    address internal npa; // National Police Agency: governs the driver's licence
    address internal university; // issuer under the Ministry of Education
    address internal licensingOffice; // issuer under the National Police Agency
    address internal operator; // the university's issuance service key
    address internal stranger;

    CredentialTypeId internal studentId;
    CredentialTypeId internal driversLicence;

    function setUp() public virtual {
        vm.warp(T0);
        root = makeAddr("root: Ministry of the Interior and Safety");
        moe = makeAddr("accreditor: Ministry of Education");
        npa = makeAddr("accreditor: National Police Agency");
        university = makeAddr("issuer: National University");
        licensingOffice = makeAddr("issuer: Driver's Licence Agency");
        operator = makeAddr("operator: university issuance service");
        stranger = makeAddr("stranger");

        didRegistry = new DIDRegistry();
        registry = new AccreditationRegistry(_identities(), root, ROOT_NAME, ROOT_TRANSFER_DELAY);
        statusRegistry = new StatusRegistry(_identities(), IAccreditationRegistry(address(registry)));
    }

    // -------------------------------------------------------------------------------------------------------
    // Network building blocks (each acts through the current owner key of the acting identity)
    // -------------------------------------------------------------------------------------------------------

    /// @dev Root -> {moe, npa}; moe -> university; npa -> licensingOffice; one type per ministry; every party
    /// accredited with the default windows.
    function _deployNetwork() internal {
        _registerAccreditor(moe, "Ministry of Education");
        _registerAccreditor(npa, "National Police Agency");
        studentId = _registerType("StudentIdCredential", 1, moe);
        driversLicence = _registerType("DriversLicenceCredential", 1, npa);
        _registerIssuer(moe, university, "National University");
        _registerIssuer(npa, licensingOffice, "Driver's Licence Agency");
        _accreditAccreditor(moe, studentId, ACCREDITOR_FROM, ACCREDITOR_UNTIL);
        _accreditAccreditor(npa, driversLicence, ACCREDITOR_FROM, ACCREDITOR_UNTIL);
        _accreditIssuer(moe, university, studentId, ISSUER_FROM, ISSUER_UNTIL);
        _accreditIssuer(npa, licensingOffice, driversLicence, ISSUER_FROM, ISSUER_UNTIL);
    }

    function _registerAccreditor(address accreditor, string memory name) internal {
        vm.prank(_keyOf(registry.root()));
        registry.registerAccreditor(accreditor, name);
    }

    function _registerIssuer(address accreditor, address issuer, string memory name) internal {
        vm.prank(_keyOf(accreditor));
        registry.registerIssuer(accreditor, issuer, name);
    }

    function _registerType(string memory name, uint32 version, address governing)
        internal
        returns (CredentialTypeId id)
    {
        vm.prank(_keyOf(registry.root()));
        id = registry.registerCredentialType(name, version, _schemaHash(name), _schemaUri(name), governing);
    }

    function _accreditAccreditor(address accreditor, CredentialTypeId credentialType, uint40 from, uint40 until)
        internal
    {
        CredentialTypeId[] memory types = _types(credentialType);
        vm.prank(_keyOf(registry.root()));
        registry.accreditAccreditor(accreditor, types, from, until, REASON_GRANT);
    }

    function _accreditIssuer(
        address accreditor,
        address issuer,
        CredentialTypeId credentialType,
        uint40 from,
        uint40 until
    ) internal {
        vm.prank(_keyOf(accreditor));
        registry.accreditIssuer(accreditor, issuer, credentialType, from, until, REASON_GRANT);
    }

    function _suspend(address actor, address party, CredentialTypeId credentialType) internal {
        vm.prank(_keyOf(actor));
        registry.suspend(actor, party, credentialType, REASON_SUSPEND);
    }

    function _reinstate(address actor, address party, CredentialTypeId credentialType) internal {
        vm.prank(_keyOf(actor));
        registry.reinstate(actor, party, credentialType, REASON_REINSTATE);
    }

    function _revoke(address actor, address party, CredentialTypeId credentialType) internal {
        vm.prank(_keyOf(actor));
        registry.revoke(actor, party, credentialType, REASON_REVOKE);
    }

    function _renew(address actor, address party, CredentialTypeId credentialType, uint40 until) internal {
        vm.prank(_keyOf(actor));
        registry.renew(actor, party, credentialType, until, REASON_RENEW);
    }

    function _deprecate(CredentialTypeId credentialType) internal {
        vm.prank(_keyOf(registry.root()));
        registry.deprecateCredentialType(credentialType, REASON_DEPRECATE);
    }

    /// @dev Hands the root to `newRoot` through the full two-step procedure.
    function _transferRoot(address newRoot) internal {
        vm.prank(_keyOf(registry.root()));
        registry.beginRootTransfer(newRoot);
        vm.warp(block.timestamp + ROOT_TRANSFER_DELAY);
        vm.prank(_keyOf(newRoot));
        registry.acceptRootTransfer();
    }

    /// @dev ERC-1056 key rotation: the identity's current owner key names `newKey`.
    function _rotateKey(address identity, address newKey) internal {
        vm.prank(_keyOf(identity));
        didRegistry.changeOwner(identity, newKey);
    }

    function _createList(address issuer, IStatusRegistry.Purpose purpose, uint8 sizeLog2, address[] memory operators)
        internal
        returns (uint256 listId)
    {
        vm.prank(_keyOf(issuer));
        listId = statusRegistry.createList(issuer, purpose, sizeLog2, operators);
    }

    // -------------------------------------------------------------------------------------------------------
    // Small utilities
    // -------------------------------------------------------------------------------------------------------

    function _identities() internal view returns (IIdentityRegistry) {
        return IIdentityRegistry(address(didRegistry));
    }

    function _keyOf(address identity) internal view returns (address) {
        return didRegistry.identityOwner(identity);
    }

    function _schemaHash(string memory name) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("schema:", name));
    }

    function _schemaUri(string memory name) internal pure returns (string memory) {
        return string.concat("https://schemas.mobile-id.example/", name, ".json");
    }

    function _types(CredentialTypeId a) internal pure returns (CredentialTypeId[] memory t) {
        t = new CredentialTypeId[](1);
        t[0] = a;
    }

    function _types(CredentialTypeId a, CredentialTypeId b) internal pure returns (CredentialTypeId[] memory t) {
        t = new CredentialTypeId[](2);
        t[0] = a;
        t[1] = b;
    }

    function _addresses(address a) internal pure returns (address[] memory list) {
        list = new address[](1);
        list[0] = a;
    }

    function _noAddresses() internal pure returns (address[] memory) {
        return new address[](0);
    }

    function _uints(uint256 a) internal pure returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = a;
    }

    function _uints(uint256 a, uint256 b) internal pure returns (uint256[] memory list) {
        list = new uint256[](2);
        list[0] = a;
        list[1] = b;
    }

    function _uints(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory list) {
        list = new uint256[](3);
        list[0] = a;
        list[1] = b;
        list[2] = c;
    }

    function _string(uint256 length) internal pure returns (string memory) {
        bytes memory b = new bytes(length);
        for (uint256 i = 0; i < length; ++i) {
            b[i] = "a";
        }
        return string(b);
    }

    // Enum comparisons with readable failure messages.

    function assertEq(IAccreditationRegistry.Status a, IAccreditationRegistry.Status b, string memory what)
        internal
        pure
    {
        assertEq(uint8(a), uint8(b), what);
    }

    function assertEq(IAccreditationRegistry.Role a, IAccreditationRegistry.Role b, string memory what)
        internal
        pure
    {
        assertEq(uint8(a), uint8(b), what);
    }

    function assertEq(IStatusRegistry.Purpose a, IStatusRegistry.Purpose b, string memory what) internal pure {
        assertEq(uint8(a), uint8(b), what);
    }

    function assertEq(CredentialTypeId a, CredentialTypeId b, string memory what) internal pure {
        assertEq(CredentialTypeId.unwrap(a), CredentialTypeId.unwrap(b), what);
    }

    function assertEq(IAccreditationRegistry.Status a, IAccreditationRegistry.Status b) internal pure {
        assertEq(uint8(a), uint8(b), "status");
    }

    function assertEq(IAccreditationRegistry.Role a, IAccreditationRegistry.Role b) internal pure {
        assertEq(uint8(a), uint8(b), "role");
    }

    function assertEq(CredentialTypeId a, CredentialTypeId b) internal pure {
        assertEq(CredentialTypeId.unwrap(a), CredentialTypeId.unwrap(b), "credential type");
    }

    /// @dev Every field of two standings, named in the failure message.
    function assertEq(
        IAccreditationRegistry.Standing memory a,
        IAccreditationRegistry.Standing memory b,
        string memory what
    ) internal pure {
        assertEq(a.inForce, b.inForce, string.concat(what, ": inForce"));
        assertEq(a.status, b.status, string.concat(what, ": status"));
        assertEq(a.accreditorStatus, b.accreditorStatus, string.concat(what, ": accreditorStatus"));
        assertEq(a.validFrom, b.validFrom, string.concat(what, ": validFrom"));
        assertEq(a.validUntil, b.validUntil, string.concat(what, ": validUntil"));
        assertEq(a.since, b.since, string.concat(what, ": since"));
        assertEq(a.accreditor, b.accreditor, string.concat(what, ": accreditor"));
        assertEq(a.reason, b.reason, string.concat(what, ": reason"));
        assertEq(a.final_, b.final_, string.concat(what, ": final_"));
    }
}
