"""Parsing the verbs that change the cluster mid-lab, and the ones that wait for a change.

``scale``, ``delete``, ``apply -f``, ``label``, ``annotate``, ``patch``,
``set image``, ``rollout ...`` and ``wait``, with the flags a lab uses.
Flags follow k8s.io/kubectl v0.34.4 ``pkg/cmd/<verb>/<verb>.go``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ._commands import (
    ApplyCommand,
    Command,
    DeleteCommand,
    MetadataCommand,
    PatchCommand,
    RolloutCommand,
    ScaleCommand,
    SetImageCommand,
    WaitCommand,
)
from ._flags import FlagSpec, Parsed, flag, parse_flags
from ._parse_common import NAMESPACE, check_selector_flag, non_negative, typed_targets
from ._usage import USAGE
from ._words import CommandError, Word

__all__ = ["CHANGE_PARSERS", "CHANGE_USAGE"]

_SELECTOR: FlagSpec = {"-l": ("selector", True), "--selector": ("selector", True)}


def _scale(verb: Word, words: list[Word], pre: Parsed) -> ScaleCommand:
    parsed = parse_flags(words, {**NAMESPACE, "--replicas": ("replicas", True)}, "scale", pre, dashdash=False)
    replicas = flag(parsed, "replicas")
    if replicas is None:
        raise CommandError("kubectl scale needs --replicas=N", offset=verb.offset, hint=USAGE["scale"])
    found, bare = typed_targets(parsed.args)
    if bare or not found:
        raise CommandError("name what to scale", offset=verb.offset, hint=USAGE["scale"])
    return ScaleCommand(targets=found, replicas=non_negative(replicas, parsed.offset("replicas"), "--replicas"),
                        namespace=flag(parsed, "namespace"))


def _delete(verb: Word, words: list[Word], pre: Parsed) -> DeleteCommand:
    spec = {**NAMESPACE, **_SELECTOR, "--wait": ("wait", False)}
    parsed = parse_flags(words, spec, "delete", pre, dashdash=False)
    check_selector_flag(parsed, "selector")
    found, bare = typed_targets(parsed.args)
    selector = flag(parsed, "selector")
    if not found and not (bare and selector is not None):
        hint = "delete named objects, or a type with -l SELECTOR (reportgen never deletes a whole type)"
        raise CommandError("name what to delete", offset=verb.offset, hint=hint)
    if found and selector is not None:
        raise CommandError("name objects or give -l, not both", offset=parsed.offset("selector"),
                           hint=USAGE["delete"])
    return DeleteCommand(targets=found, resources=bare, selector=selector,
                         wait=parsed.flags.get("wait", (True, 0))[0] is True, namespace=flag(parsed, "namespace"))


def _apply(verb: Word, words: list[Word], pre: Parsed) -> ApplyCommand:
    parsed = parse_flags(words, {**NAMESPACE, "-f": ("file", True), "--filename": ("file", True)}, "apply", pre,
                         dashdash=False)
    files = parsed.repeated.get("file", [])
    if parsed.args or not files:
        where = parsed.args[0].offset if parsed.args else verb.offset
        raise CommandError("kubectl apply takes -f FILE", offset=where, hint=USAGE["apply"])
    for name in files:
        if name == "-" or "://" in name:
            raise CommandError(f"cannot apply {name!r}", offset=parsed.offset("file"),
                               hint="apply a file beside the scenario: kubectl apply -f FILE")
    return ApplyCommand(files=files, namespace=flag(parsed, "namespace"))


_KEY = re.compile(r"([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")


def _metadata(verb: Word, words: list[Word], pre: Parsed) -> MetadataCommand:
    parsed = parse_flags(words, {**NAMESPACE, "--overwrite": ("overwrite", False)}, verb.value, pre,
                         dashdash=False)
    objects = [w for w in parsed.args if "=" not in w.value and not w.value.endswith("-")]
    changes = [_change(w, verb.value) for w in parsed.args if w not in objects]
    found, bare = typed_targets(objects)
    if bare or not found or not changes:
        raise CommandError(f"kubectl {verb.value} needs TYPE/NAME and KEY=VALUE or KEY-", offset=verb.offset,
                           hint=USAGE[verb.value])
    return MetadataCommand(verb=verb.value, targets=found, changes=changes, overwrite=parsed.has("overwrite"),
                           namespace=flag(parsed, "namespace"))


def _change(word: Word, verb: str) -> tuple[str, str | None]:
    key, eq, value = word.value.partition("=")
    key = key if eq else key[:-1]
    if not _KEY.fullmatch(key):
        raise CommandError(f"invalid {verb} key {key!r}", offset=word.offset, hint=USAGE[verb])
    return key, value if eq else None


_PATCH_TYPES = ("strategic", "merge", "json")


def _patch(verb: Word, words: list[Word], pre: Parsed) -> PatchCommand:
    spec = {**NAMESPACE, "-p": ("patch", True), "--patch": ("patch", True), "--type": ("type", True)}
    parsed = parse_flags(words, spec, "patch", pre, dashdash=False)
    patch, kind = flag(parsed, "patch"), flag(parsed, "type") or "strategic"
    found, bare = typed_targets(parsed.args)
    if patch is None or len(found) != 1 or bare:
        raise CommandError("kubectl patch needs one TYPE/NAME and -p PATCH", offset=verb.offset,
                           hint=USAGE["patch"])
    if kind not in _PATCH_TYPES:
        raise CommandError(f"--type must be one of {', '.join(_PATCH_TYPES)}", offset=parsed.offset("type"),
                           hint=USAGE["patch"])
    try:
        json.loads(patch)
    except ValueError:
        raise CommandError("the patch is not JSON", offset=parsed.offset("patch"),
                           hint="write the patch as JSON, in single quotes") from None
    return PatchCommand(target=found[0], patch=patch, patch_type=kind, namespace=flag(parsed, "namespace"))


def _set(verb: Word, words: list[Word], pre: Parsed) -> SetImageCommand:
    if not words or words[0].value != "image":
        raise CommandError("only `kubectl set image` is supported", offset=words[0].offset if words else verb.offset,
                           hint=USAGE["set"])
    parsed = parse_flags(words[1:], NAMESPACE, "set", pre, dashdash=False)
    objects = [w for w in parsed.args if "=" not in w.value]
    images = [tuple(w.value.split("=", 1)) for w in parsed.args if w not in objects]
    found, bare = typed_targets(objects)
    if len(found) != 1 or bare or not images or any(not c or not i for c, i in images):
        raise CommandError("kubectl set image needs one TYPE/NAME and CONTAINER=IMAGE", offset=verb.offset,
                           hint=USAGE["set"])
    return SetImageCommand(target=found[0], images=[(c, i) for c, i in images], namespace=flag(parsed, "namespace"))


_ROLLOUT_ACTIONS = ("status", "history", "undo", "restart", "pause", "resume")
_DEPLOYMENT_ONLY = ("history", "undo", "pause", "resume")


def _rollout(verb: Word, words: list[Word], pre: Parsed) -> RolloutCommand:
    if not words or words[0].value not in _ROLLOUT_ACTIONS:
        raise CommandError(f"kubectl rollout needs one of: {', '.join(_ROLLOUT_ACTIONS)}",
                           offset=words[0].offset if words else verb.offset, hint=USAGE["rollout"])
    spec = {**NAMESPACE, "--to-revision": ("revision", True), "--revision": ("revision", True),
            "--timeout": ("timeout", True)}
    parsed = parse_flags(words[1:], spec, "rollout", pre, dashdash=False)
    found, bare = typed_targets(parsed.args)
    if not found or bare:
        raise CommandError("name the workload: TYPE/NAME", offset=words[0].offset, hint=USAGE["rollout"])
    action = words[0].value
    if action in _DEPLOYMENT_ONLY and any(t.resource != "deployments" for t in found):
        raise CommandError(f"reportgen runs rollout {action} for deployments only", offset=words[0].offset,
                           hint="rollout status and restart also take statefulsets and daemonsets")
    if action == "history" and flag(parsed, "revision") is not None:
        raise CommandError("rollout history --revision is not supported", offset=parsed.offset("revision"),
                           hint="list the revisions with rollout history TYPE/NAME")
    revision = flag(parsed, "revision")
    return RolloutCommand(
        action=words[0].value, targets=found, timeout=flag(parsed, "timeout"),
        revision=None if revision is None else non_negative(revision, parsed.offset("revision"), "--revision"),
        namespace=flag(parsed, "namespace"),
    )


def _wait(verb: Word, words: list[Word], pre: Parsed) -> WaitCommand:
    spec = {**NAMESPACE, **_SELECTOR, "--for": ("for", True), "--timeout": ("timeout", True)}
    parsed = parse_flags(words, spec, "wait", pre, dashdash=False)
    check_selector_flag(parsed, "selector")
    condition = flag(parsed, "for")
    if not condition or not (condition.startswith(("condition=", "jsonpath={")) or condition == "delete"):
        raise CommandError("kubectl wait needs --for=condition=C[=VALUE], --for=delete or --for=jsonpath='{P}'=V",
                           offset=parsed.offset("for", verb.offset), hint=USAGE["wait"])
    found, bare = typed_targets(parsed.args)
    if not found and not (bare and flag(parsed, "selector") is not None):
        raise CommandError("name what to wait for", offset=verb.offset, hint=USAGE["wait"])
    return WaitCommand(targets=found, resources=bare, selector=flag(parsed, "selector"), condition=condition,
                       timeout=flag(parsed, "timeout"), namespace=flag(parsed, "namespace"))


CHANGE_PARSERS: dict[str, Callable[[Word, list[Word], Parsed], Command]] = {
    "scale": _scale,
    "delete": _delete,
    "apply": _apply,
    "label": _metadata,
    "annotate": _metadata,
    "patch": _patch,
    "set": _set,
    "rollout": _rollout,
    "wait": _wait,
}
CHANGE_USAGE = set(CHANGE_PARSERS)
