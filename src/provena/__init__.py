"""Provena: verifiable supply chains on Hyperledger Fabric, IPFS and Oracle Cloud."""

from importlib.metadata import version

__version__ = version("provena")
__all__ = ["__version__"]
