"""A loopback stand-in for OCI Object Storage that insists on valid OCI request signatures.

It implements the REST calls `OciObjectStore` makes (objects, multipart uploads, listing,
pre-authenticated requests), and ListMultipartUploads for tests to see what an upload
left pending, over an in-memory bucket. It refuses with 401 any request
whose `Authorization` is not a well-formed OCI HTTP signature (draft-cavage, version 1,
rsa-sha256, keyId `tenancy/user/fingerprint`) over `date`, `(request-target)` and `host`
(plus `content-length`, `content-type` and a correct `x-content-sha256` for POST bodies),
verified with the user's public key. Requests to a pre-authenticated URL need no signature.
Part numbers listed in `refused_parts` are answered 400, as a service refusing a part would.

`FakeVault` is a vault's crypto endpoint (KMS Encrypt and Decrypt) over in-memory AES keys,
checking every request's signature the same way.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["FakeObjectStorage", "FakeVault", "OciUser", "PendingUpload"]

_SIGNATURE = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class PendingUpload:
    """A multipart upload created and neither committed nor aborted."""

    object: str
    content_type: str
    created: datetime
    parts: dict[int, bytes] = field(default_factory=dict)


@dataclass
class FakeObjectStorage:
    """State shared with the request handler: keys, objects, uploads, and what was seen."""

    key_id: str
    public_key: rsa.RSAPublicKey
    namespace: str = "provenans"
    bucket: str = "documents"
    objects: dict[str, tuple[bytes, str, datetime]] = field(default_factory=dict)
    uploads: dict[str, PendingUpload] = field(default_factory=dict)
    refused_parts: set[int] = field(default_factory=set)
    pars: dict[str, str] = field(default_factory=dict)
    signed_headers: list[list[str]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        state = self

        class Handler(_Handler):
            storage = state

        return _serve(Handler)


class _Handler(BaseHTTPRequestHandler):
    storage: FakeObjectStorage
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if method == "GET" and url.path.startswith("/p/"):
            return self._par_read(url.path)
        problem = self._check_signature(method, body)
        if problem is not None:
            self.storage.rejected.append(problem)
            return self._json(401, {"code": "NotAuthenticated", "message": problem})
        match = re.fullmatch(r"/n/([^/]+)/b/([^/]+)/(o|u|p)(?:/(.+))?", url.path)
        if match is None or match[1] != self.storage.namespace or match[2] != self.storage.bucket:
            return self._json(404, {"code": "BucketNotFound", "message": url.path})
        kind, name = match[3], unquote(match[4] or "")
        routes: dict[tuple[str, str], Callable[[], None]] = {
            ("PUT", "o"): lambda: self._put(name, body),
            ("GET", "o"): lambda: self._list(query) if not name else self._get(name, method),
            ("HEAD", "o"): lambda: self._get(name, method),
            ("DELETE", "o"): lambda: self._delete(name),
            ("POST", "u"): lambda: self._upload_start(name, query, body),
            ("GET", "u"): lambda: self._upload_list() if not name else self._not_allowed(),
            ("PUT", "u"): lambda: self._upload_part(query, body),
            ("DELETE", "u"): lambda: self._upload_abort(query),
            ("POST", "p"): lambda: self._par(body),
        }
        route = routes.get((method, kind), self._not_allowed)
        route()

    def _not_allowed(self) -> None:
        self._json(405, {"code": "NotAllowed", "message": f"{self.command} {self.path}"})

    def _check_signature(self, method: str, body: bytes) -> str | None:
        try:
            signed = _signed_headers(
                method, self.path, self.headers, body, self.storage.key_id, self.storage.public_key
            )
        except _NotAuthenticated as exc:
            return str(exc)
        self.storage.signed_headers.append(signed)
        return None

    def _put(self, name: str, body: bytes) -> None:
        content_type = self.headers.get("content-type") or "application/octet-stream"
        self.storage.objects[name] = (body, content_type, datetime.now(UTC))
        self._empty(200, {"etag": hashlib.md5(body, usedforsecurity=False).hexdigest()})

    def _get(self, name: str, method: str) -> None:
        if name not in self.storage.objects:
            return self._json(404, {"code": "ObjectNotFound", "message": name})
        data, content_type, modified = self.storage.objects[name]
        headers = {
            "etag": hashlib.md5(data, usedforsecurity=False).hexdigest(),
            "content-type": content_type,
            "last-modified": format_datetime(modified, usegmt=True),
        }
        status = 200
        byte_range = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("range", ""))
        if byte_range:
            start = int(byte_range[1])
            end = int(byte_range[2]) + 1 if byte_range[2] else len(data)
            headers["content-range"] = f"bytes {start}-{end - 1}/{len(data)}"
            data, status = data[start:end], 206
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        if method == "GET":
            self.wfile.write(data)

    def _delete(self, name: str) -> None:
        if self.storage.objects.pop(name, None) is None:
            return self._json(404, {"code": "ObjectNotFound", "message": name})
        self._empty(204)

    def _list(self, query: dict[str, str]) -> None:
        names = sorted(n for n in self.storage.objects if n.startswith(query.get("prefix", "")))
        names = [n for n in names if n >= query.get("start", "")]
        page, rest = names[:2], names[2:]  # tiny pages, so pagination is exercised
        objects = [
            {
                "name": n,
                "size": len(self.storage.objects[n][0]),
                "etag": "e",
                "timeModified": self.storage.objects[n][2].isoformat(),
            }
            for n in page
        ]
        self._json(200, {"objects": objects, "nextStartWith": rest[0] if rest else None})

    def _upload_start(self, name: str, query: dict[str, str], body: bytes) -> None:
        if name:  # commit
            parts = json.loads(body)["partsToCommit"]
            upload = self.storage.uploads.pop(query["uploadId"])
            data = b"".join(upload.parts[p["partNum"]] for p in parts)
            self.storage.objects[name] = (data, upload.content_type, datetime.now(UTC))
            return self._empty(200, {"etag": "committed"})
        details = json.loads(body)
        upload_id = secrets.token_hex(8)
        content_type = details.get("contentType") or "application/octet-stream"
        self.storage.uploads[upload_id] = PendingUpload(
            details["object"], content_type, datetime.now(UTC)
        )
        self._json(200, {"uploadId": upload_id, "object": details["object"],
                         "namespace": self.storage.namespace, "bucket": self.storage.bucket,
                         "timeCreated": datetime.now(UTC).isoformat()})  # fmt: skip

    def _upload_list(self) -> None:
        bucket = {"namespace": self.storage.namespace, "bucket": self.storage.bucket}
        listed = [
            bucket | {"object": up.object, "uploadId": uid, "timeCreated": up.created.isoformat()}
            for uid, up in self.storage.uploads.items()
        ]
        self._json(200, listed)

    def _upload_part(self, query: dict[str, str], body: bytes) -> None:
        number = int(query["uploadPartNum"])
        if number in self.storage.refused_parts:
            return self._json(400, {"code": "InvalidParameter", "message": f"part {number}"})
        self.storage.uploads[query["uploadId"]].parts[number] = body
        self._empty(200, {"etag": hashlib.md5(body, usedforsecurity=False).hexdigest()})

    def _upload_abort(self, query: dict[str, str]) -> None:
        self.storage.uploads.pop(query["uploadId"], None)
        self._empty(204)

    def _par(self, body: bytes) -> None:
        details = json.loads(body)
        token = secrets.token_urlsafe(16)
        self.storage.pars[token] = details["objectName"]
        bucket = f"/n/{self.storage.namespace}/b/{self.storage.bucket}"
        access = f"/p/{token}{bucket}/o/{details['objectName']}"
        self._json(200, {"id": token, "name": details["name"], "accessUri": access,
                         "objectName": details["objectName"], "accessType": details["accessType"],
                         "timeCreated": datetime.now(UTC).isoformat(),
                         "timeExpires": details["timeExpires"]})  # fmt: skip

    def _par_read(self, path: str) -> None:
        token = path.split("/")[2]
        if token not in self.storage.pars:
            return self._json(404, {"code": "NotFound", "message": "no such PAR"})
        self._get(self.storage.pars[token], "GET")

    def _json(self, status: int, payload: dict[str, Any] | list[dict[str, Any]]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("opc-request-id", secrets.token_hex(4))
        self.end_headers()
        self.wfile.write(data)

    def _empty(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("content-length", "0")
        self.end_headers()


# --- OCI request signatures, checked alike by every fake service -------------------------


class _NotAuthenticated(Exception):
    """The request carries no valid OCI signature; the message says why."""


def _signed_headers(
    method: str, target: str, headers: Message, body: bytes, key_id: str, key: rsa.RSAPublicKey
) -> list[str]:
    """The headers that a valid OCI signature by `key_id` covers, else `_NotAuthenticated`."""
    authorization = headers.get("authorization", "")
    if not authorization.startswith("Signature "):
        raise _NotAuthenticated("no OCI signature")
    fields = dict(_SIGNATURE.findall(authorization))
    if fields.get("version") != "1" or fields.get("algorithm") != "rsa-sha256":
        raise _NotAuthenticated("unsupported signature version or algorithm")
    if fields.get("keyId") != key_id:
        raise _NotAuthenticated(f"unknown keyId {fields.get('keyId')!r}")
    signed: list[str] = fields.get("headers", "").split()
    required = {"date", "(request-target)", "host"}
    if method == "POST":
        required |= {"content-length", "content-type", "x-content-sha256"}
        sent = base64.b64encode(hashlib.sha256(body).digest()).decode()
        if headers.get("x-content-sha256") != sent:
            raise _NotAuthenticated("x-content-sha256 does not match the body")
    if not required <= set(signed):
        raise _NotAuthenticated(f"signature does not cover {sorted(required - set(signed))}")
    date = parsedate_to_datetime(headers.get("date", "Thu, 01 Jan 1970 00:00:00 GMT"))
    if abs((datetime.now(UTC) - date).total_seconds()) > 300:
        raise _NotAuthenticated("request date is too far from now")
    lines = []
    for name in signed:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {target}")
        else:
            lines.append(f"{name}: {headers.get(name, '')}")
    try:
        key.verify(
            base64.b64decode(fields.get("signature", "")),
            "\n".join(lines).encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, ValueError) as exc:
        raise _NotAuthenticated("signature does not verify") from exc
    return signed


def _serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@dataclass(frozen=True)
class OciUser:
    """An OCI user's API signing key, and the SDK config file (profile DEFAULT) naming it."""

    key_id: str
    public_key: rsa.RSAPublicKey
    config: Path

    @classmethod
    def create(cls, directory: Path) -> OciUser:
        """The test tenancy's user with a fresh key; a second call forges the same keyId."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        directory.mkdir(parents=True, exist_ok=True)
        key_file = directory / "oci_api_key.pem"
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        tenancy = "ocid1.tenancy.oc1..aaaatenancy"
        user = "ocid1.user.oc1..aaaauser"
        fingerprint = "12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0"
        config = directory / "oci_config"
        config.write_text(
            f"[DEFAULT]\nuser={user}\nfingerprint={fingerprint}\ntenancy={tenancy}\n"
            f"region=eu-frankfurt-1\nkey_file={key_file}\n"
        )
        return cls(f"{tenancy}/{user}/{fingerprint}", key.public_key(), config)


# --- OCI Vault: the KMS crypto API of one vault -------------------------------------------


@dataclass
class FakeVault:
    """A vault's crypto endpoint: master keys by OCID, Encrypt and Decrypt with them.

    A ciphertext is base64 of nonce and AES-256-GCM output, so one that another key made,
    or that was altered, is refused (400) as the real service refuses it.
    """

    key_id: str
    public_key: rsa.RSAPublicKey
    keys: dict[str, bytes] = field(default_factory=dict, repr=False)
    calls: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def create_key(self) -> str:
        """A new AES-256 master key; its OCID."""
        ocid = f"ocid1.key.oc1.eu-frankfurt-1.vault.{secrets.token_hex(12)}"
        self.keys[ocid] = AESGCM.generate_key(256)
        return ocid

    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        state = self

        class Handler(_VaultHandler):
            vault = state

        return _serve(Handler)


class _VaultHandler(_Handler):
    """Routes `POST /20180608/{encrypt,decrypt}`; shares the JSON answers of `_Handler`."""

    vault: FakeVault

    def _handle(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            _signed_headers(
                method, self.path, self.headers, body, self.vault.key_id, self.vault.public_key
            )
        except _NotAuthenticated as exc:
            self.vault.rejected.append(str(exc))
            return self._json(401, {"code": "NotAuthenticated", "message": str(exc)})
        operations = {"/20180608/encrypt": self._encrypt, "/20180608/decrypt": self._decrypt}
        operation = operations.get(self.path) if method == "POST" else None
        if operation is None:
            return self._not_allowed()
        details = json.loads(body)
        key = self.vault.keys.get(details.get("keyId", ""))
        if key is None:
            return self._json(404, {"code": "NotAuthorizedOrNotFound", "message": "no such key"})
        self.vault.calls.append(self.path.rsplit("/", 1)[1])
        operation(AESGCM(key), details)

    def _encrypt(self, aes: AESGCM, details: dict[str, str]) -> None:
        nonce = secrets.token_bytes(12)
        sealed = aes.encrypt(nonce, base64.b64decode(details["plaintext"]), None)
        ciphertext = base64.b64encode(nonce + sealed).decode()
        self._json(200, {"ciphertext": ciphertext, "keyId": details["keyId"]})

    def _decrypt(self, aes: AESGCM, details: dict[str, str]) -> None:
        try:
            raw = base64.b64decode(details["ciphertext"])
            plaintext = aes.decrypt(raw[:12], raw[12:], None)
        except (InvalidTag, ValueError):  # altered, or not even base64
            return self._json(400, {"code": "InvalidParameter", "message": "bad ciphertext"})
        self._json(
            200, {"plaintext": base64.b64encode(plaintext).decode(), "keyId": details["keyId"]}
        )
