"""``kubectl rollout ...`` and ``kubectl wait``, ported from k8s.io/kubectl v0.34.4.

* status: ``pkg/polymorphichelpers/rollout_status.go`` (the messages) and
  ``pkg/cmd/rollout/rollout_status.go`` (a line per observed change until done);
* history and undo (Deployments): ``pkg/polymorphichelpers/history.go`` and
  ``rollback.go`` (revisions from the ReplicaSets' ``deployment.kubernetes.io/revision``);
* restart, pause, resume: ``objectrestarter.go``, ``objectpauser.go``, ``objectresumer.go``;
* wait: ``pkg/cmd/wait/wait.go`` (``condition=``, ``delete``, ``jsonpath=``).

Waiting polls the object every 200 ms and prints a status line only when it
changes; kubectl prints one per watch event, so a captured rollout shows the
same lines without kubectl's repeats.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ._api import Api, Output, VerbError, object_name, seconds
from ._changes import _each, wait_gone
from ._commands import RolloutCommand, Target, WaitCommand
from ._discovery import ApiError, ResourceType
from ._jsonpath import find_results, parse_jsonpath
from ._tabwriter import TabWriter

__all__ = ["rollout", "rollout_message", "wait"]

_POLL = 0.2
_REVISION = "deployment.kubernetes.io/revision"
_SKIP_ANNOTATIONS = {
    "kubectl.kubernetes.io/last-applied-configuration", _REVISION, "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
}


def rollout_message(obj: dict[str, Any]) -> tuple[str, bool]:
    """kubectl's status line for a Deployment, StatefulSet or DaemonSet, and whether it is done."""
    viewers = {"Deployment": _deployment_status, "StatefulSet": _statefulset_status, "DaemonSet": _daemonset_status}
    if obj.get("kind") not in viewers:
        raise VerbError(f"no status viewer has been implemented for {obj.get('kind')}")
    return viewers[obj["kind"]](obj)


def _deployment_status(obj: dict[str, Any]) -> tuple[str, bool]:
    name, spec, status = obj["metadata"]["name"], obj.get("spec") or {}, obj.get("status") or {}
    if obj["metadata"].get("generation", 0) > status.get("observedGeneration", 0):
        return "Waiting for deployment spec update to be observed...\n", False
    progressing = [c for c in status.get("conditions") or [] if c.get("type") == "Progressing"]
    if progressing and progressing[0].get("reason") == "ProgressDeadlineExceeded":
        raise VerbError(f'deployment "{name}" exceeded its progress deadline')
    replicas, updated = spec.get("replicas"), status.get("updatedReplicas", 0)
    waiting = f'Waiting for deployment "{name}" rollout to finish: '
    if replicas is not None and updated < replicas:
        return f"{waiting}{updated} out of {replicas} new replicas have been updated...\n", False
    if status.get("replicas", 0) > updated:
        return f"{waiting}{status.get('replicas', 0) - updated} old replicas are pending termination...\n", False
    if status.get("availableReplicas", 0) < updated:
        return f"{waiting}{status.get('availableReplicas', 0)} of {updated} updated replicas are available...\n", False
    return f'deployment "{name}" successfully rolled out\n', True


def _statefulset_status(obj: dict[str, Any]) -> tuple[str, bool]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        raise VerbError("rollout status is only available for RollingUpdate strategy type")
    observed = status.get("observedGeneration", 0)
    if not observed or obj["metadata"].get("generation", 0) > observed:
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas, ready = spec.get("replicas"), status.get("readyReplicas", 0)
    if replicas is not None and ready < replicas:
        return f"Waiting for {replicas - ready} pods to be ready...\n", False
    partition = (strategy.get("rollingUpdate") or {}).get("partition")
    updated = status.get("updatedReplicas", 0)
    if replicas is not None and partition:
        if updated < replicas - partition:
            return (f"Waiting for partitioned roll out to finish: {updated} out of {replicas - partition} "
                    "new pods have been updated...\n"), False
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    if status.get("updateRevision") != status.get("currentRevision"):
        return (f"waiting for statefulset rolling update to complete {updated} pods at revision "
                f"{status.get('updateRevision')}...\n"), False
    return (f"statefulset rolling update complete {status.get('currentReplicas', 0)} pods at revision "
            f"{status.get('currentRevision')}...\n"), True


def _daemonset_status(obj: dict[str, Any]) -> tuple[str, bool]:
    name, spec, status = obj["metadata"]["name"], obj.get("spec") or {}, obj.get("status") or {}
    if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
        raise VerbError("rollout status is only available for RollingUpdate strategy type")
    if obj["metadata"].get("generation", 0) > status.get("observedGeneration", 0):
        return "Waiting for daemon set spec update to be observed...\n", False
    desired, waiting = status.get("desiredNumberScheduled", 0), f'Waiting for daemon set "{name}" rollout to finish: '
    if status.get("updatedNumberScheduled", 0) < desired:
        updated = status.get("updatedNumberScheduled", 0)
        return f"{waiting}{updated} out of {desired} new pods have been updated...\n", False
    if status.get("numberAvailable", 0) < desired:
        return f"{waiting}{status.get('numberAvailable', 0)} of {desired} updated pods are available...\n", False
    return f'daemon set "{name}" successfully rolled out\n', True


def rollout(api: Api, command: RolloutCommand) -> Output:
    """``kubectl rollout ACTION TYPE/NAME``."""
    out = Output()
    actions = {"status": _status, "history": _history, "undo": _undo, "restart": _restart,
               "pause": _pause, "resume": _pause}
    _each(api, out, command.targets, lambda res, target: actions[command.action](api, command, res, target, out))
    return out


def _status(api: Api, command: RolloutCommand, resource: ResourceType, target: Target, out: Output) -> None:
    deadline = api.clock() + seconds(command.timeout, api.timeout)
    last = ""
    while True:
        message, done = rollout_message(api.get(resource, target.name))
        if message != last:
            out.out(message)
            last = message
        if done:
            return
        if api.clock() >= deadline:
            raise VerbError("timed out waiting for the condition")
        api.sleep(_POLL)


def _revisions(api: Api, deployment: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The Deployment's ReplicaSets by revision, oldest first."""
    selector = ",".join(f"{k}={v}" for k, v in deployment["spec"]["selector"].get("matchLabels", {}).items())
    listed = api.get(api.resolve("replicasets.apps"), query=[("labelSelector", selector)])
    uid = deployment["metadata"]["uid"]
    owned = [rs for rs in listed.get("items", []) if any(
        ref.get("uid") == uid and ref.get("controller") for ref in rs["metadata"].get("ownerReferences", []))]
    found = []
    for rs in owned:
        text = (rs["metadata"].get("annotations") or {}).get(_REVISION, "")
        if text.isdigit():
            found.append((int(text), rs))
    return sorted(found, key=lambda pair: pair[0])


def _history(api: Api, command: RolloutCommand, resource: ResourceType, target: Target, out: Output) -> None:
    deployment = api.get(resource, target.name)
    writer = TabWriter(min_width=0, padding=2)
    writer.write("REVISION\tCHANGE-CAUSE\n")
    for revision, rs in _revisions(api, deployment):
        cause = (rs["metadata"].get("annotations") or {}).get("kubernetes.io/change-cause") or "<none>"
        writer.write(f"{revision}\t{cause}\n")
    out.out(f"{object_name(resource, target.name)} \n{writer.flush()}\n")


def _undo(api: Api, command: RolloutCommand, resource: ResourceType, target: Target, out: Output) -> None:
    deployment = api.get(resource, target.name)
    revisions = _revisions(api, deployment)
    wanted = command.revision or 0
    if wanted:
        chosen = [rs for revision, rs in revisions if revision == wanted]
        if not chosen:
            raise VerbError(f"unable to find specified revision {wanted} in history")
    elif len(revisions) < 2:
        raise VerbError(f'no rollout history found for deployment "{target.name}"')
    rs = chosen[0] if wanted else revisions[-2][1]
    if deployment["spec"].get("paused"):
        raise VerbError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' "
                        "and try again")
    template = rs["spec"]["template"]
    template["metadata"]["labels"] = {k: v for k, v in template["metadata"].get("labels", {}).items()
                                      if k != "pod-template-hash"}
    if template == deployment["spec"]["template"]:
        out.out(f"{object_name(resource, target.name)} skipped rollback (current template already matches "
                f"revision {wanted})\n")
        return
    annotations = {k: v for k, v in (deployment["metadata"].get("annotations") or {}).items() if k in _SKIP_ANNOTATIONS}
    annotations |= {k: v for k, v in (rs["metadata"].get("annotations") or {}).items() if k not in _SKIP_ANNOTATIONS}
    patch = [{"op": "replace", "path": "/spec/template", "value": template},
             {"op": "replace", "path": "/metadata/annotations", "value": annotations}]
    api.call("PATCH", resource, target.name, patch, "application/json-patch+json")
    out.out(f"{object_name(resource, target.name)} rolled back\n")


def _restart(api: Api, command: RolloutCommand, resource: ResourceType, target: Target, out: Output) -> None:
    obj = api.get(resource, target.name)
    if obj.get("spec", {}).get("paused"):
        raise VerbError(f'{_resource_string(resource)} "{target.name}" can\'t restart paused deployment '
                        "(run rollout resume first)")
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    patch = {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}}
    api.call("PATCH", resource, target.name, patch, "application/strategic-merge-patch+json")
    out.out(f"{object_name(resource, target.name)} restarted\n")


def _pause(api: Api, command: RolloutCommand, resource: ResourceType, target: Target, out: Output) -> None:
    pause = command.action == "pause"
    obj = api.get(resource, target.name)
    if bool(obj.get("spec", {}).get("paused")) == pause:
        state = "is already paused" if pause else "is not paused"
        raise VerbError(f'{_resource_string(resource)} "{target.name}" {state}')
    api.call("PATCH", resource, target.name, {"spec": {"paused": pause}}, "application/merge-patch+json")
    out.out(f"{object_name(resource, target.name)} {command.action}d\n")


def _resource_string(resource: ResourceType) -> str:
    """``deployments.apps``: the plural and group kubectl names a resource with in its errors."""
    return f"{resource.plural}.{resource.group}" if resource.group else resource.plural


def wait(api: Api, command: WaitCommand) -> Output:
    """``kubectl wait --for=condition=C|delete``: "condition met" per object, or a timeout line each."""
    out = Output()
    timeout = seconds(command.timeout, 30.0)
    objects = _wait_objects(api, command, out)
    deadline = api.clock() + timeout
    errors: list[tuple[str, bool]] = []  # (message, from the server)
    for resource, name in objects:
        timed_out = f"timed out waiting for the condition on {resource.plural}/{name}"
        try:
            if command.condition == "delete":
                if not wait_gone(api, [(resource, name)], max(0.0, deadline - api.clock())):
                    errors.append((timed_out, False))
            elif not _wait_condition(api, command.condition, resource, name, deadline, out):
                errors.append((timed_out, False))
        except ApiError as exc:
            errors.append((exc.kubectl_message(), True))
    for message, from_server in errors:  # kubectl's CheckErr: one error gets "error: ", an aggregate does not
        out.err(message if from_server or len(errors) > 1 else f"error: {message}")
    return out


def _wait_objects(api: Api, command: WaitCommand, out: Output) -> list[tuple[ResourceType, str]]:
    if command.targets:
        return [(api.resolve(t.typed or t.resource), t.name) for t in command.targets]
    found = []
    for typed in command.resources:
        resource, names = api.labelled(typed, command.selector or "")
        found += [(resource, name) for name in names]
    if not found:
        out.err("error: no matching resources found")
    return found


def _condition_met(condition: str) -> Callable[[dict[str, Any]], bool]:
    """``condition=Ready[=True]`` or ``jsonpath={.status.phase}[=Running]`` as a test on the object."""
    if condition.startswith("jsonpath="):
        expression, _, want = condition.removeprefix("jsonpath=").rpartition("}")
        root = parse_jsonpath(expression + "}")
        value = want.removeprefix("=")

        def matches(obj: dict[str, Any]) -> bool:
            found = [v for group in find_results(root, obj, allow_missing_keys=True) for v in group]
            return bool(found) and (not want or any(str(v) == value for v in found))

        return matches
    kind, _, want = condition.removeprefix("condition=").partition("=")
    want = want or "True"
    return lambda obj: any(c.get("type", "").lower() == kind.lower() and c.get("status", "").lower() == want.lower()
                           for c in (obj.get("status") or {}).get("conditions") or [])


def _wait_condition(api: Api, condition: str, resource: ResourceType, name: str, deadline: float,
                    out: Output) -> bool:
    """Poll until the condition holds ("condition met"); False when the deadline passes first."""
    met = _condition_met(condition)
    while True:
        obj = api.get(resource, name)
        if met(obj):
            out.out(f"{object_name(resource, name)} condition met\n")
            return True
        if api.clock() >= deadline:
            return False
        api.sleep(_POLL)
