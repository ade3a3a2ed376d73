"""The verbs that change the cluster mid-lab, each with kubectl's own lines (k8s.io/kubectl v0.34.4).

* ``scale``: ``pkg/cmd/scale/scale.go`` (a merge patch of the ``scale`` subresource);
* ``delete``: ``pkg/cmd/delete/delete.go`` (background propagation, then waits for
  the objects to go unless ``--wait=false``);
* ``label``/``annotate``: ``pkg/cmd/label/label.go``, ``pkg/cmd/annotate/annotate.go``
  (a merge patch computed from the object before and after; "not labeled" when it is empty);
* ``patch``: ``pkg/cmd/patch/patch.go`` ("(no change)" when the object came back equal);
* ``set image``: ``pkg/cmd/set/set_image.go`` (nothing printed when no image changes).

``apply -f`` and ``rollout``/``wait`` live in :mod:`._apply` and :mod:`._rollout`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ._api import Api, Output, VerbError, object_name
from ._commands import DeleteCommand, MetadataCommand, PatchCommand, ScaleCommand, SetImageCommand, Target
from ._discovery import ApiError, GetError, ResourceType
from ._tables import kind_prefix

__all__ = ["delete", "label_or_annotate", "merge_patch", "patch", "scale", "set_image", "wait_gone"]

_MERGE = "application/merge-patch+json"
_STRATEGIC = "application/strategic-merge-patch+json"
_PATCH_TYPES = {"strategic": _STRATEGIC, "merge": _MERGE, "json": "application/json-patch+json"}


def merge_patch(original: Any, modified: Any) -> Any:
    """The RFC 7386 merge patch that turns ``original`` into ``modified`` (``{}`` when equal)."""
    if not isinstance(original, dict) or not isinstance(modified, dict):
        return modified
    patch: dict[str, Any] = {}
    for key in original.keys() - modified.keys():
        patch[key] = None
    for key, value in modified.items():
        if key not in original:
            patch[key] = value
        elif original[key] != value:
            patch[key] = merge_patch(original[key], value) if isinstance(value, dict) else value
    return patch


def _each(api: Api, out: Output, targets: list[Target], act: Callable[[ResourceType, Target], None]) -> None:
    """Run ``act`` per target, writing kubectl's error line for each that fails and going on."""
    for target in targets:
        try:
            act(api.resolve(target.typed or target.resource), target)
        except ApiError as exc:
            out.err(exc.kubectl_message())
        except (GetError, VerbError) as exc:
            out.err(f"error: {exc}")


def scale(api: Api, command: ScaleCommand) -> Output:
    """``kubectl scale TYPE/NAME --replicas=N``."""
    out = Output()

    def act(resource: ResourceType, target: Target) -> None:
        try:
            api.call("PATCH", resource, target.name, {"spec": {"replicas": command.replicas}}, _MERGE, "scale")
        except ApiError as exc:
            raise VerbError(f"no objects passed to scale {exc.api_status.get('message', exc.body)}") from None
        out.out(f"{object_name(resource, target.name)} scaled\n")

    _each(api, out, command.targets, act)
    return out


def patch(api: Api, command: PatchCommand) -> Output:
    """``kubectl patch TYPE/NAME --type T -p PATCH``."""
    out = Output()

    def act(resource: ResourceType, target: Target) -> None:
        before = api.get(resource, target.name)
        after = api.call("PATCH", resource, target.name, command.patch.encode(), _PATCH_TYPES[command.patch_type])
        note = "" if after != before else " (no change)"
        out.out(f"{object_name(resource, target.name)} patched{note}\n")

    _each(api, out, [command.target], act)
    return out


def label_or_annotate(api: Api, command: MetadataCommand) -> Output:
    """``kubectl label|annotate TYPE/NAME KEY=VALUE KEY-``."""
    out = Output()
    field = "labels" if command.verb == "label" else "annotations"

    def act(resource: ResourceType, target: Target) -> None:
        obj = api.get(resource, target.name)
        changed = copy.deepcopy(obj)
        values = dict(changed.setdefault("metadata", {}).get(field) or {})
        _change_values(values, command, out)
        changed["metadata"][field] = values
        diff = merge_patch(obj, changed)
        if diff:
            api.call("PATCH", resource, target.name, diff, _MERGE)
        out.out(f"{object_name(resource, target.name)} {_done(command.verb, diff)}\n")

    _each(api, out, command.targets, act)
    return out


def _change_values(values: dict[str, str], command: MetadataCommand, out: Output) -> None:
    for key, value in command.changes:
        if value is not None and key in values and values[key] != value and not command.overwrite:
            if command.verb == "annotate":
                raise VerbError("--overwrite is false but found the following declared annotation(s): "
                                f"'{key}' already has a value ({values[key]})")
            raise VerbError(f"'{key}' already has a value ({values[key]}), and --overwrite is false")
    for key, value in command.changes:
        if value is None:
            if key not in values and command.verb == "label":
                out.out(f'label "{key}" not found.\n')
            values.pop(key, None)
        else:
            values[key] = value


def _done(verb: str, diff: Any) -> str:
    if verb == "annotate":
        return "annotated"
    return "labeled" if diff else "not labeled"


def set_image(api: Api, command: SetImageCommand) -> Output:
    """``kubectl set image TYPE/NAME CONTAINER=IMAGE``."""
    out = Output()

    def act(resource: ResourceType, target: Target) -> None:
        obj = api.get(resource, target.name)
        changed = copy.deepcopy(obj)
        pod_spec = _pod_spec(changed)
        containers = [*(pod_spec.get("initContainers") or []), *(pod_spec.get("containers") or [])]
        for name, image in command.images:
            chosen = [c for c in containers if name in ("*", c.get("name"))]
            if not chosen:
                raise VerbError(f'unable to find container named "{name}"')
            for container in chosen:
                container["image"] = image
        if changed != obj:
            api.call("PATCH", resource, target.name, merge_patch(obj, changed), _MERGE)
            out.out(f"{object_name(resource, target.name)} image updated\n")

    _each(api, out, [command.target], act)
    return out


def _pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    if obj.get("kind") == "Pod":
        return dict(obj.get("spec") or {})
    if obj.get("kind") == "CronJob":
        return dict(obj["spec"]["jobTemplate"]["spec"]["template"]["spec"])
    spec: dict[str, Any] = obj["spec"]["template"]["spec"]
    return spec


def delete(api: Api, command: DeleteCommand) -> Output:
    """``kubectl delete``: each object, then (unless ``--wait=false``) wait until they are gone."""
    out = Output()
    deleted: list[tuple[ResourceType, str]] = []

    def act(resource: ResourceType, target: Target) -> None:
        api.call("DELETE", resource, target.name, {"propagationPolicy": "Background"})
        where = f" from {api.namespace} namespace" if resource.namespaced else ""
        out.out(f'{kind_prefix(resource.kind, resource.group)} "{target.name}" deleted{where}\n')
        deleted.append((resource, target.name))

    targets = command.targets or _selected(api, command, out)
    _each(api, out, targets, act)
    if command.wait and not wait_gone(api, deleted, api.timeout):
        out.err("error: timed out waiting for the objects to be deleted")
    return out


def _selected(api: Api, command: DeleteCommand, out: Output) -> list[Target]:
    found = []
    for typed in command.resources:
        resource, names = api.labelled(typed, command.selector or "")
        found += [Target(resource.plural, name, typed) for name in names]
    if not found:
        out.out("No resources found\n")
    return found


def wait_gone(api: Api, objects: list[tuple[ResourceType, str]], timeout: float) -> bool:
    """Poll until every object is gone (kubectl waits with a watch); False on timeout."""
    deadline = api.clock() + timeout
    pending = list(objects)
    while pending:
        pending = [(r, n) for r, n in pending if _exists(api, r, n)]
        if pending and api.clock() >= deadline:
            return False
        if pending:
            api.sleep(0.2)
    return True


def _exists(api: Api, resource: ResourceType, name: str) -> bool:
    try:
        api.get(resource, name)
    except ApiError as exc:
        if exc.status == 404:
            return False
        raise
    return True
