"""The dag-pb and UnixFS codecs, written by hand because they are tiny and must be exact.

A dag-pb block is a protobuf `PBNode`; its `Data` holds a protobuf UnixFS `Data`:

    PBNode  { repeated PBLink Links = 2;  bytes Data = 1; }   serialized Links first
    PBLink  { bytes Hash = 1;  string Name = 2;  uint64 Tsize = 3; }
    Data    { Type = 1;  bytes Data = 2;  uint64 filesize = 3;  repeated uint64 blocksizes = 4;
              hashType = 5;  fanout = 6;  mode = 7;  mtime = 8; }

Byte-exactness is the point: Kubo and Helia write the links before the data, always write
a link's Name (empty for file chunks), write `filesize` for every file node, and leave
`Data` out of a file node that carries no bytes. Any other choice is a different CID.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

__all__ = [
    "DataType",
    "PBLink",
    "PBNode",
    "UnixFSData",
    "decode_node",
    "encode_leaf",
    "encode_node",
    "encode_varint",
    "read_varint",
]


class DataType(IntEnum):
    RAW = 0
    DIRECTORY = 1
    FILE = 2
    METADATA = 3
    SYMLINK = 4
    HAMT_SHARD = 5


@dataclass(frozen=True, slots=True)
class PBLink:
    hash: bytes
    name: str
    tsize: int


@dataclass(frozen=True, slots=True)
class UnixFSData:
    type: DataType
    data: bytes = b""
    filesize: int | None = None
    blocksizes: tuple[int, ...] = ()

    def encode(self) -> bytes:
        out = bytearray(_key(1, 0) + encode_varint(self.type))
        if self.data:
            out += _key(2, 2) + encode_varint(len(self.data)) + self.data
        if self.filesize is not None:
            out += _key(3, 0) + encode_varint(self.filesize)
        for size in self.blocksizes:
            out += _key(4, 0) + encode_varint(size)
        return bytes(out)

    @classmethod
    def decode(cls, raw: bytes) -> UnixFSData:
        kind: int | None = None
        data = b""
        filesize: int | None = None
        blocksizes: list[int] = []
        for number, value in _fields(raw):
            if number == 1 and isinstance(value, int):
                kind = value
            elif number == 2 and isinstance(value, bytes):
                data = value
            elif number == 3 and isinstance(value, int):
                filesize = value
            elif number == 4 and isinstance(value, int):
                blocksizes.append(value)
            elif number not in (4, 5, 6, 7, 8):
                raise ValueError(f"unexpected UnixFS field {number}")
        if kind is None or kind not in DataType._value2member_map_:
            raise ValueError(f"unknown UnixFS type {kind}")
        return cls(DataType(kind), data, filesize, tuple(blocksizes))


@dataclass(frozen=True, slots=True)
class PBNode:
    links: tuple[PBLink, ...] = ()
    data: bytes | None = None
    _unixfs: list[UnixFSData] = field(default_factory=list, compare=False, repr=False)

    @property
    def unixfs(self) -> UnixFSData:
        """The node's UnixFS data (decoded once)."""
        if not self._unixfs:
            if self.data is None:
                raise ValueError("dag-pb node carries no UnixFS data")
            self._unixfs.append(UnixFSData.decode(self.data))
        return self._unixfs[0]


def encode_node(links: tuple[PBLink, ...] | list[PBLink], data: bytes | None) -> bytes:
    """Serialize a PBNode the canonical way (links in the given order, then data)."""
    out = bytearray()
    for link in links:
        name = link.name.encode()
        body = (
            _key(1, 2)
            + encode_varint(len(link.hash))
            + link.hash
            + _key(2, 2)
            + encode_varint(len(name))
            + name
            + _key(3, 0)
            + encode_varint(link.tsize)
        )
        out += _key(2, 2) + encode_varint(len(body)) + body
    if data is not None:
        out += _key(1, 2) + encode_varint(len(data)) + data
    return bytes(out)


def encode_leaf(chunk: bytes | memoryview) -> bytes:
    """A dag-pb leaf holding `chunk` as a UnixFS file, copying the chunk only once.

    Equal to `encode_node((), UnixFSData(FILE, chunk, filesize=len(chunk)).encode())`.
    """
    if not chunk:
        return encode_node((), UnixFSData(DataType.FILE, filesize=0).encode())
    size = encode_varint(len(chunk))
    head = _key(1, 0) + encode_varint(DataType.FILE) + _key(2, 2) + size
    tail = _key(3, 0) + size
    unixfs_size = len(head) + len(chunk) + len(tail)
    return b"".join((_key(1, 2), encode_varint(unixfs_size), head, chunk, tail))


def decode_node(raw: bytes) -> PBNode:
    """Parse a PBNode; raise `ValueError` on anything malformed."""
    links: list[PBLink] = []
    data: bytes | None = None
    for number, value in _fields(raw):
        if number == 2 and isinstance(value, bytes):
            if data is not None:
                raise ValueError("dag-pb links after data")
            links.append(_decode_link(value))
        elif number == 1 and isinstance(value, bytes) and data is None:
            data = value
        else:
            raise ValueError(f"unexpected dag-pb field {number}")
    return PBNode(tuple(links), data)


def _decode_link(raw: bytes) -> PBLink:
    hash_: bytes | None = None
    name = ""
    tsize = 0
    for number, value in _fields(raw):
        if number == 1 and isinstance(value, bytes):
            hash_ = value
        elif number == 2 and isinstance(value, bytes):
            name = value.decode()
        elif number == 3 and isinstance(value, int):
            tsize = value
        else:
            raise ValueError(f"unexpected dag-pb link field {number}")
    if hash_ is None:
        raise ValueError("dag-pb link without a hash")
    return PBLink(hash_, name, tsize)


def _key(number: int, wire_type: int) -> bytes:
    return encode_varint(number << 3 | wire_type)


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def read_varint(raw: bytes | memoryview, pos: int) -> tuple[int, int]:
    """Decode the unsigned varint at `pos`; return it and the position after it."""
    value = shift = 0
    while True:
        if pos >= len(raw):
            raise ValueError("truncated varint")
        byte = raw[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def _fields(raw: bytes) -> list[tuple[int, int | bytes]]:
    fields: list[tuple[int, int | bytes]] = []
    pos = 0
    while pos < len(raw):
        key, pos = read_varint(raw, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, pos = read_varint(raw, pos)
            fields.append((number, value))
        elif wire_type == 2:
            length, pos = read_varint(raw, pos)
            if pos + length > len(raw):
                raise ValueError("truncated length-delimited field")
            fields.append((number, bytes(raw[pos : pos + length])))
            pos += length
        else:
            raise ValueError(f"unsupported protobuf wire type {wire_type}")
    return fields
