"""`provena devnet info` and `profile` tell where each organization's CA is."""

from __future__ import annotations

import json

from tests.devnet.fabricca.conftest import CA_NAME, MSP_ID, registrar_file
from tests.devnet.network.support import acli
from tests.support.ledger import Ledger


async def test_info_and_profile_list_each_organizations_ca(ledger: Ledger) -> None:
    data_dir = str(ledger.devnet.config.data_dir)
    info = json.loads((await acli("info", "--json", "--data-dir", data_dir)).stdout)
    expected = {
        "url": ledger.devnet.config.ca_url,
        "ca_name": CA_NAME,
        "tls_ca": str(ledger.devnet.pki.tls_ca_file.resolve()),
        "registrar": str(registrar_file(ledger).resolve()),
    }
    assert info["certificate_authorities"][MSP_ID] == expected
    assert set(info["certificate_authorities"]) == set(ledger.devnet.pki.msp_ids)
    profile = json.loads((await acli("profile", "--org", MSP_ID, "--data-dir", data_dir)).stdout)
    assert profile["certificate_authority"] == expected
