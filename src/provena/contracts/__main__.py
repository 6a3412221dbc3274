"""Serve Provena's contracts as a chaincode service (CHAINCODE_ID, CHAINCODE_SERVER_ADDRESS)."""

import asyncio

from provena.chaincode import serve
from provena.contracts import CONTRACTS

asyncio.run(serve(CONTRACTS))
