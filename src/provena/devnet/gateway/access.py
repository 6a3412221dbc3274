"""Who may read the channel: the signer of a request must be a channel member and the
signature must verify (a peer's /Channel/Application/Readers check)."""

from __future__ import annotations

from provena.devnet.gateway.services import NetworkServices

__all__ = ["denial"]


def denial(
    services: NetworkServices, resource: str, creator: bytes, data: bytes, signature: bytes
) -> str | None:
    """Why the signed `data` may not access `resource`, or None if it may."""
    prefix = f"access denied for [{resource}] on channel [{services.channel}]"
    if not creator:
        return f"{prefix}: no identity provided"
    try:
        identity = services.msp.deserialize(creator)
    except ValueError as exc:
        return f"{prefix}: {exc}"
    if not identity.verify(data, signature):
        return f"{prefix}: the signature of {identity.msp_id}'s identity is invalid"
    return None
