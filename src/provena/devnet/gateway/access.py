"""Who may read a channel: the signer of a request must be a reader of the channel's
application (a peer's /Channel/Application/Readers check) and the signature must verify.

Refusals read as a peer's ACL check words them, with the devnet's precise reason in the last
brackets where a peer only logs it."""

from __future__ import annotations

import logging

from provena.devnet.gateway.services import NetworkServices

__all__ = ["denial"]

_log = logging.getLogger(__name__)
_READERS = "/Channel/Application/Readers"


def denial(
    services: NetworkServices, channel: str, creator: bytes, data: bytes, signature: bytes
) -> str | None:
    """Why `creator`'s signed `data` may not read `channel`, or None if it may."""
    if not channel:
        return (
            "Invalid channel ID name during check policy on signed data. "
            "Name must be different from nil."
        )
    if channel != services.channel:
        return f"Failed to get policy manager for channel [{channel}]"
    reason = _unreadable(services, creator, data, signature)
    if reason is None:
        return None
    _log.warning("read access to channel %s refused: %s", channel, reason)
    return (
        "Failed evaluating policy on signed data during check policy on channel "
        f"[{channel}] with policy [{_READERS}]: [{reason}]"
    )


def _unreadable(
    services: NetworkServices, creator: bytes, data: bytes, signature: bytes
) -> str | None:
    if not creator:
        return "no identity provided"
    try:
        identity = services.msp.deserialize(creator)
    except ValueError as exc:
        return f"the identity is not a member of the channel: {exc}"
    if services.endorser(identity.msp_id) is None:
        # The orderer's organization belongs to the channel but not to its application.
        return f"{identity.msp_id} is not an application organization of the channel"
    if not identity.verify(data, signature):
        return f"the signature of {identity.msp_id}'s identity is invalid"
    return None
