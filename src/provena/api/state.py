"""What the running API holds: settings, database, token validator, readiness checks."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from provena.api.directory import UserDirectory
from provena.api.ledger import LedgerServices
from provena.api.observability import Metrics
from provena.api.readiness import Readiness
from provena.db import Database
from provena.documents import DocumentService
from provena.identity import JwksCache, TokenValidator
from provena.identity.devissuer import DevIssuer
from provena.settings import Settings

__all__ = ["AppState"]


@dataclass(slots=True)
class AppState:
    settings: Settings
    database: Database
    directory: UserDirectory
    documents: DocumentService
    jwks: JwksCache
    validator: TokenValidator
    readiness: Readiness
    metrics: Metrics
    http: httpx.AsyncClient
    dev_issuer: DevIssuer | None
    ledger: LedgerServices | None
