"""The errors of the devnet's identity layer and wiring.

::

    DevnetError
    ├── PkiError                      the development PKI cannot be created, read or extended
    ├── IdentityError (ValueError)    an identity the channel's MSPs do not accept
    │   ├── MalformedIdentity         not a SerializedIdentity holding one X.509 certificate
    │   ├── UnknownMsp                its MSP id is not one of the channel's
    │   ├── UntrustedCertificate      not issued by that MSP's CA as of its start, or revoked
    │   └── InvalidRole               NodeOUs: not exactly one of client, peer, admin, orderer
    ├── PolicyError (ValueError)      an endorsement policy that cannot be used
    │   ├── PolicySyntaxError         text that is not Fabric's policy language (with position)
    │   └── UnsatisfiablePolicy       no set of the channel's peers can satisfy it
    ├── ConfigError (ValueError)      a devnet configuration or chaincode definition that is wrong
    └── AdminError                    the running devnet's admin endpoint refused or is absent

The identity and policy errors are `ValueError`s because the gateway and validator treat a
`ValueError` from an identity or policy as the caller's fault (a bad request), anything else as
the network's.
"""

from __future__ import annotations

__all__ = [
    "AdminError",
    "ConfigError",
    "DevnetError",
    "IdentityError",
    "InvalidRole",
    "MalformedIdentity",
    "PkiError",
    "PolicyError",
    "PolicySyntaxError",
    "UnknownMsp",
    "UnsatisfiablePolicy",
    "UntrustedCertificate",
]


class DevnetError(Exception):
    """Base of the devnet's identity and wiring errors."""


class PkiError(DevnetError):
    """The development PKI cannot be created, read or extended."""


class IdentityError(DevnetError, ValueError):
    """An identity the channel's MSPs do not accept."""


class MalformedIdentity(IdentityError):
    """Not a SerializedIdentity holding one PEM X.509 certificate with an ECDSA key."""


class UnknownMsp(IdentityError):
    """The identity names an MSP that is not a member of the channel."""

    def __init__(self, msp_id: str) -> None:
        super().__init__(f"MSP {msp_id!r} is not a member of the channel")
        self.msp_id = msp_id


class UntrustedCertificate(IdentityError):
    """The certificate does not chain to its MSP's CA, or is not valid now."""


class InvalidRole(IdentityError):
    """With NodeOUs enabled an identity must carry exactly one role OU."""


class PolicyError(DevnetError, ValueError):
    """An endorsement policy that cannot be used."""


class PolicySyntaxError(PolicyError):
    """Text that is not in Fabric's signature-policy language."""

    def __init__(self, message: str, text: str, position: int) -> None:
        super().__init__(f"{message} at position {position} in policy {text!r}")
        self.text = text
        self.position = position


class UnsatisfiablePolicy(PolicyError):
    """No set of the channel's endorsing peers can satisfy the policy."""


class ConfigError(DevnetError, ValueError):
    """A devnet configuration or chaincode definition that is wrong."""


class AdminError(DevnetError):
    """The running devnet's admin endpoint refused a request or cannot be reached."""
