#!/usr/bin/env python3
"""Pack a root filesystem directory into a single-layer image archive.

The archive is in the docker-archive format that ``ctr images import`` reads,
so the lab can serve images without a registry.

Usage: mkimage.py ROOTFS OUT.tar --name REF [--entrypoint JSON] [--cmd JSON]
                  [--env K=V ...] [--port 80/tcp ...] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import tarfile


def _layer_bytes(rootfs: str) -> bytes:
    """A reproducible tar of ROOTFS: sorted entries, root-owned, epoch mtimes."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in [""] + sorted(filenames):  # "": the directory itself
                path = os.path.join(dirpath, name) if name else dirpath
                arcname = os.path.relpath(path, rootfs)
                if arcname == ".":
                    continue
                info = tar.gettarinfo(path, arcname)
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                info.mtime = 0
                if info.isfile():
                    with open(path, "rb") as fh:
                        tar.addfile(info, fh)
                else:
                    tar.addfile(info)
    return buf.getvalue()


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rootfs")
    parser.add_argument("out")
    parser.add_argument("--name", required=True, help="full reference, e.g. docker.io/library/nginx:alpine")
    parser.add_argument("--entrypoint", default="null")
    parser.add_argument("--cmd", default="null")
    parser.add_argument("--env", action="append",
                        default=["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])
    parser.add_argument("--port", action="append", default=[])
    parser.add_argument("--workdir", default="/")
    args = parser.parse_args()

    layer = _layer_bytes(args.rootfs)
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {
            "Env": args.env,
            "Entrypoint": json.loads(args.entrypoint),
            "Cmd": json.loads(args.cmd),
            "WorkingDir": args.workdir,
            "ExposedPorts": {p: {} for p in args.port} or None,
            "Labels": {"org.opencontainers.image.description": "reportgen lab stand-in, built from Debian packages"},
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "hack/lab/mkimage.py"}],
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest = [{"Config": config_name, "RepoTags": [args.name], "Layers": ["layer.tar"]}]
    with tarfile.open(args.out, "w") as tar:
        _add(tar, config_name, config_bytes)
        _add(tar, "layer.tar", layer)
        _add(tar, "manifest.json", json.dumps(manifest).encode())


if __name__ == "__main__":
    main()
