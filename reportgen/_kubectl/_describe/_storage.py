"""``kubectl describe persistentvolumeclaim``, and the claim block ephemeral volumes reuse.

Port of ``PersistentVolumeClaimDescriber``, ``getPodsForPVC`` and
``printPersistentVolumeClaim`` (k8s.io/kubectl v0.34.4 ``pkg/describe/describe.go``)
with ``GetPersistentVolumeClaimClass`` / ``GetAccessModesAsString``
(``pkg/util/storage/storage.go``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._api import Context, meta
from ._clock import Clock
from ._quantity import quantity_of
from ._writer import PrefixWriter, describe_events, go_list, print_annotations, print_labels, print_pods, tabbed_string

__all__ = ["access_modes", "claim_class", "describe_persistent_volume_claim", "print_persistent_volume_claim"]

_BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"


def claim_class(claim: Mapping[str, Any]) -> str:
    """``GetPersistentVolumeClaimClass``: the beta annotation first, then ``spec.storageClassName``."""
    annotations = meta(claim).get("annotations") or {}
    if _BETA_CLASS_ANNOTATION in annotations:
        return str(annotations[_BETA_CLASS_ANNOTATION])
    return str((claim.get("spec") or {}).get("storageClassName") or "")


def access_modes(modes: list[str] | None) -> str:
    """``GetAccessModesAsString``: RWO, ROX, RWX, RWOP, in that order."""
    present = set(modes or [])
    pairs = (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"))
    return ",".join(short for mode, short in pairs if mode in present)


def print_persistent_volume_claim(w: PrefixWriter, claim: Mapping[str, Any], *, full: bool,
                                  clock: Clock | None = None) -> None:
    """``printPersistentVolumeClaim``: a whole claim, or (``full=False``) a claim template."""
    metadata, spec, status = meta(claim), claim.get("spec") or {}, claim.get("status") or {}
    if full:
        w.write(0, f"Name:\t{metadata.get('name', '')}\n")
        w.write(0, f"Namespace:\t{metadata.get('namespace', '')}\n")
    w.write(0, f"StorageClass:\t{claim_class(claim)}\n")
    if full:
        if clock is None:
            raise ValueError("a full claim needs a clock for its status")
        if metadata.get("deletionTimestamp"):
            w.write(0, f"Status:\tTerminating (lasts {clock.since(metadata['deletionTimestamp'])})\n")
        else:
            w.write(0, f"Status:\t{status.get('phase', '')}\n")
    w.write(0, f"Volume:\t{spec.get('volumeName', '')}\n")
    print_labels(w, "Labels", metadata.get("labels"))
    print_annotations(w, "Annotations", metadata.get("annotations"))
    if full:
        w.write(0, f"Finalizers:\t{go_list(metadata.get('finalizers'))}\n")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes(status.get("accessModes"))
        capacity = quantity_of((status.get("capacity") or {}).get("storage")).string()
    w.write(0, f"Capacity:\t{capacity}\n")
    w.write(0, f"Access Modes:\t{modes}\n")
    if spec.get("volumeMode") is not None:
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    source = spec.get("dataSource")
    if source is not None:
        w.write(0, "DataSource:\n")
        if source.get("apiGroup") is not None:
            w.write(1, f"APIGroup:\t{source['apiGroup']}\n")
        w.write(1, f"Kind:\t{source.get('kind', '')}\n")
        w.write(1, f"Name:\t{source.get('name', '')}\n")


def _pods_for_claim(ctx: Context, claim: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``getPodsForPVC``: pods mounting the claim (once per volume), then owner pods not yet listed."""
    name = meta(claim).get("name", "")
    namespace_pods = ctx.pods(meta(claim).get("namespace") or None)
    pods = [pod for pod in namespace_pods for volume in (pod.get("spec") or {}).get("volumes") or []
            if (volume.get("persistentVolumeClaim") or {}).get("claimName") == name
            and volume.get("persistentVolumeClaim") is not None]
    for owner in meta(claim).get("ownerReferences") or []:
        if owner.get("kind") != "Pod":
            continue
        owned = next((p for p in namespace_pods if meta(p).get("uid") == owner.get("uid")), None)
        if owned is not None and all(meta(p).get("uid") != meta(owned).get("uid") for p in pods):
            pods.append(owned)
    return pods


def describe_persistent_volume_claim(ctx: Context, claim: dict[str, Any]) -> str:
    """``PersistentVolumeClaimDescriber.Describe``."""
    pods = _pods_for_claim(ctx, claim)
    events = ctx.events_or_empty(claim, "PersistentVolumeClaim")

    def body(w: PrefixWriter) -> None:
        print_persistent_volume_claim(w, claim, full=True, clock=ctx.clock)
        print_pods(w, "Used By", pods)
        conditions = (claim.get("status") or {}).get("conditions") or []
        if conditions:
            w.write(0, "Conditions:\n")
            w.write(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
            w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
            for c in conditions:
                probed = ctx.clock.rfc1123z(c.get("lastProbeTime"))
                moved = ctx.clock.rfc1123z(c.get("lastTransitionTime"))
                w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \t{probed} \t{moved} "
                           f"\t{c.get('reason', '')} \t{c.get('message', '')}\n")
        describe_events(w, events, ctx.clock)

    return tabbed_string(body)
