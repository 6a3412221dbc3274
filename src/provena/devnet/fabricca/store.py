"""The devnet CAs' registry and certificate database, in one SQLite file.

Like fabric-ca-server's `users` and `certificates` tables: registered identities (secret kept
as a salted scrypt hash, attributes, enrollment count — `state`, -1 once revoked) and every
certificate issued, found by (serial, AKI) in fabric-ca's lower-case hex without leading zeros.
The serials of revoked certificates are also held in memory, because the channel's MSPs ask
about them on every identity they deserialize.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

__all__ = ["Attribute", "CaStore", "CertRecord", "User", "aki_of", "serial_of"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    ca_name TEXT NOT NULL, id TEXT NOT NULL, salt BLOB NOT NULL, secret_hash BLOB NOT NULL,
    type TEXT NOT NULL, affiliation TEXT NOT NULL, attrs TEXT NOT NULL,
    max_enrollments INTEGER NOT NULL, state INTEGER NOT NULL,
    PRIMARY KEY (ca_name, id)
);
CREATE TABLE IF NOT EXISTS certificates (
    serial TEXT NOT NULL, aki TEXT NOT NULL, ca_name TEXT NOT NULL, id TEXT NOT NULL,
    pem BLOB NOT NULL, status TEXT NOT NULL, reason INTEGER NOT NULL, revoked_at TEXT,
    PRIMARY KEY (serial, aki)
);
"""
_REVOKED = -1


def serial_of(certificate: x509.Certificate) -> str:
    """fabric-ca's form of a serial number: lower-case hex, no leading zeros."""
    return f"{certificate.serial_number:x}"


def aki_of(certificate: x509.Certificate) -> str:
    """fabric-ca's form of an authority key identifier ('' when the certificate has none)."""
    try:
        aki = certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    except x509.ExtensionNotFound:
        return ""
    return (aki.value.key_identifier or b"").hex().lstrip("0")


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=2**14, r=8, p=1)


@dataclass(frozen=True, slots=True)
class Attribute:
    """A registered attribute; `ecert` ones go into certificates unless others are asked for."""

    name: str
    value: str
    ecert: bool = False


@dataclass(frozen=True, slots=True)
class User:
    """A registered identity."""

    ca_name: str
    id: str
    type: str
    affiliation: str
    attrs: tuple[Attribute, ...]
    max_enrollments: int
    """-1 is unlimited."""
    state: int
    """Successful enrollments so far; -1 once revoked."""
    salt: bytes
    secret_hash: bytes

    @property
    def revoked(self) -> bool:
        return self.state == _REVOKED

    def attribute(self, name: str) -> str | None:
        return next((a.value for a in self.attrs if a.name == name), None)

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(_hash(secret, self.salt), self.secret_hash)


@dataclass(frozen=True, slots=True)
class CertRecord:
    """An issued certificate and its status (`good` or `revoked`)."""

    serial: str
    aki: str
    ca_name: str
    id: str
    status: str


class CaStore:
    """Users and certificates of every CA the devnet serves."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        rows = self._db.execute("SELECT serial, aki FROM certificates WHERE status = 'revoked'")
        self._revoked: set[tuple[str, str]] = {(serial, aki) for serial, aki in rows}

    @classmethod
    def open(cls, path: Path) -> CaStore:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.executescript(_SCHEMA)
        return cls(connection)

    def close(self) -> None:
        self._db.close()

    def is_revoked(self, certificate: x509.Certificate) -> bool:
        """Whether a certificate one of the CAs issued has been revoked."""
        return bool(self._revoked) and (serial_of(certificate), aki_of(certificate)) in (
            self._revoked
        )

    # users

    def user(self, ca_name: str, user_id: str) -> User | None:
        row = self._db.execute(
            "SELECT ca_name, id, type, affiliation, attrs, max_enrollments, state, salt, "
            "secret_hash FROM users WHERE ca_name = ? AND id = ?",
            (ca_name, user_id),
        ).fetchone()
        if row is None:
            return None
        attrs = tuple(Attribute(**a) for a in json.loads(row[4]))
        return User(row[0], row[1], row[2], row[3], attrs, row[5], row[6], row[7], row[8])

    def add_user(
        self,
        ca_name: str,
        user_id: str,
        secret: str,
        *,
        type: str,
        affiliation: str,
        attrs: Sequence[Attribute],
        max_enrollments: int,
    ) -> bool:
        """Register an identity; False when the CA already has one by that id."""
        salt = secrets.token_bytes(16)
        attrs_json = json.dumps([asdict(a) for a in attrs])
        try:
            self._db.execute(
                "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (
                    ca_name,
                    user_id,
                    salt,
                    _hash(secret, salt),
                    type,
                    affiliation,
                    attrs_json,
                    max_enrollments,
                ),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    def set_secret(self, ca_name: str, user_id: str, secret: str) -> None:
        salt = secrets.token_bytes(16)
        self._db.execute(
            "UPDATE users SET salt = ?, secret_hash = ? WHERE ca_name = ? AND id = ?",
            (salt, _hash(secret, salt), ca_name, user_id),
        )

    def count_enrollment(self, user: User) -> None:
        self._db.execute(
            "UPDATE users SET state = state + 1 WHERE ca_name = ? AND id = ? AND state >= 0",
            (user.ca_name, user.id),
        )

    # certificates

    def add_certificate(self, ca_name: str, user_id: str, certificate: x509.Certificate) -> None:
        self._db.execute(
            "INSERT INTO certificates VALUES (?, ?, ?, ?, ?, 'good', 0, NULL)",
            (
                serial_of(certificate),
                aki_of(certificate),
                ca_name,
                user_id,
                certificate.public_bytes(serialization.Encoding.PEM),
            ),
        )

    def certificate(self, serial: str, aki: str) -> CertRecord | None:
        row = self._db.execute(
            "SELECT serial, aki, ca_name, id, status FROM certificates "
            "WHERE serial = ? AND aki = ?",
            (serial, aki),
        ).fetchone()
        return CertRecord(*row) if row is not None else None

    def revoke_certificate(self, record: CertRecord, reason: int) -> None:
        with self._transaction():
            self._mark_revoked([(record.serial, record.aki)], reason)

    def revoke_user(self, ca_name: str, user_id: str, reason: int) -> list[tuple[str, str]]:
        """Revoke an identity (it can enroll no more) and all its good certificates; returns
        the (serial, AKI) of the certificates revoked."""
        with self._transaction():
            self._db.execute(
                "UPDATE users SET state = ? WHERE ca_name = ? AND id = ?",
                (_REVOKED, ca_name, user_id),
            )
            targets: list[tuple[str, str]] = self._db.execute(
                "SELECT serial, aki FROM certificates "
                "WHERE ca_name = ? AND id = ? AND status = 'good'",
                (ca_name, user_id),
            ).fetchall()
            self._mark_revoked(targets, reason)
        return targets

    def _mark_revoked(self, targets: list[tuple[str, str]], reason: int) -> None:
        now = dt.datetime.now(dt.UTC).isoformat()
        self._db.executemany(
            "UPDATE certificates SET status = 'revoked', reason = ?, revoked_at = ? "
            "WHERE serial = ? AND aki = ?",
            [(reason, now, serial, aki) for serial, aki in targets],
        )
        self._revoked.update(targets)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN … COMMIT on the autocommit connection, ROLLBACK on error."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
