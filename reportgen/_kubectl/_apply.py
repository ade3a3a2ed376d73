"""``kubectl apply -f FILE`` mid-lab: client-side apply as k8s.io/kubectl v0.34.4 ``pkg/cmd/apply/apply.go`` does it.

A missing object is created with the ``kubectl.kubernetes.io/last-applied-configuration``
annotation; an existing one is compared three ways (last applied, the file, the
live object). Lists of objects with a merge key (``name``, ``containerPort``,
``port``) are matched by key, as a strategic merge patch does, so applying the
same file twice says ``unchanged``. The patch sent is a strategic merge patch
for built-in types and a merge patch otherwise.

Only objects in the run's namespace may be applied: a lab changes nothing outside it.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from ._api import Api, Output, VerbError, object_name
from ._changes import merge_patch
from ._commands import ApplyCommand
from ._discovery import ApiError, ResourceType

__all__ = ["apply", "differs"]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_MERGE_KEYS = ("name", "containerPort", "port", "mountPath", "devicePath", "ip", "topologyKey")


def apply(api: Api, command: ApplyCommand) -> Output:
    """Apply every object of every file, in order; one line each."""
    out = Output()
    for name in command.files:
        try:
            for obj in _documents(api, name):
                _apply_one(api, obj, out)
        except ApiError as exc:
            out.err(exc.kubectl_message())
        except VerbError as exc:
            out.err(f"error: {exc}")
    return out


def _documents(api: Api, name: str) -> list[dict[str, Any]]:
    if api.read_file is None:
        raise VerbError(f"cannot read {name}: this run has no scenario folder")
    try:
        docs = [d for d in yaml.safe_load_all(api.read_file(name)) if d is not None]
    except yaml.YAMLError as exc:
        raise VerbError(f"error parsing {name}: {exc}") from None
    if not all(isinstance(d, dict) and d.get("apiVersion") and d.get("kind") for d in docs):
        raise VerbError(f"error validating {name}: every document needs apiVersion and kind")
    return docs


def _resource(api: Api, obj: dict[str, Any]) -> ResourceType:
    for res in api.discovery.resources:
        if res.kind == obj["kind"] and res.api_version == obj["apiVersion"] and "/" not in res.plural:
            return res
    raise VerbError(f'resource mapping not found for name: "{obj.get("metadata", {}).get("name", "")}" '
                    f'namespace: "" from "": no matches for kind "{obj["kind"]}" in version "{obj["apiVersion"]}"')


def _apply_one(api: Api, obj: dict[str, Any], out: Output) -> None:
    resource = _resource(api, obj)
    metadata = obj.setdefault("metadata", {})
    if not resource.namespaced:
        raise VerbError(f"{obj['kind']} {metadata.get('name')!r} is cluster-scoped; "
                        "a lab applies only to its namespace")
    if metadata.get("namespace", api.namespace) != api.namespace:
        raise VerbError(f'the namespace from the provided object "{metadata["namespace"]}" does not match the '
                        f'namespace "{api.namespace}". You must pass \'--namespace={metadata["namespace"]}\' '
                        "to perform this operation.")
    metadata["namespace"] = api.namespace
    modified = _annotated(api.prepare(obj))
    name = metadata.get("name", "")
    try:
        live = api.get(resource, name)
    except ApiError as exc:
        if exc.status != 404:
            raise
        api.call("POST", resource, None, modified)
        out.out(f"{object_name(resource, name)} created\n")
        return
    original = json.loads((live["metadata"].get("annotations") or {}).get(LAST_APPLIED) or "{}")
    deletions = {k: v for k, v in merge_patch(original, modified).items() if v is None}
    if not deletions and not differs(modified, live):
        out.out(f"{object_name(resource, name)} unchanged\n")
        return
    kind = "application/strategic-merge-patch+json" if "." not in resource.group else "application/merge-patch+json"
    api.call("PATCH", resource, name, {**modified, **deletions}, kind)
    out.out(f"{object_name(resource, name)} configured\n")


def _annotated(obj: dict[str, Any]) -> dict[str, Any]:
    """The object with its own JSON as the last-applied annotation (as kubectl encodes it, newline included)."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    annotated = json.loads(json.dumps(obj))
    annotated["metadata"].setdefault("annotations", {})[LAST_APPLIED] = text
    return dict(annotated)


def differs(wanted: Any, live: Any) -> bool:
    """Whether applying ``wanted`` would change ``live``: every field ``wanted`` sets, keyed lists matched by key."""
    if isinstance(wanted, dict):
        return not isinstance(live, dict) or any(differs(v, live.get(k)) for k, v in wanted.items())
    if isinstance(wanted, list) and wanted and all(isinstance(i, dict) for i in wanted):
        key = next((k for k in _MERGE_KEYS if all(k in item for item in wanted)), None)
        if key is not None and isinstance(live, list):
            by_key = {item.get(key): item for item in live if isinstance(item, dict)}
            return any(differs(item, by_key.get(item[key])) for item in wanted)
        return not isinstance(live, list) or len(wanted) != len(live) or any(map(differs, wanted, live))
    return bool(wanted != live)
