"""kubectl's resource type names and label selectors, as a step may write them.

The aliases are kubectl's short names (``svc``, ``deploy``, ``netpol``...) for
the types a lab uses; :func:`check_selector` follows
k8s.io/apimachinery ``pkg/labels/selector.go`` (v0.34) closely enough to refuse
what kubectl would refuse before a request is made.
"""

from __future__ import annotations

import re

__all__ = ["check_selector", "resource_kind", "resource_name"]

# canonical resource (API plural) -> (Kind, aliases kubectl accepts)
_RESOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pods": ("Pod", ("pod", "po")),
    "services": ("Service", ("service", "svc")),
    "endpoints": ("Endpoints", ("ep",)),
    "endpointslices": ("EndpointSlice", ("endpointslice",)),
    "deployments": ("Deployment", ("deployment", "deploy")),
    "replicasets": ("ReplicaSet", ("replicaset", "rs")),
    "statefulsets": ("StatefulSet", ("statefulset", "sts")),
    "daemonsets": ("DaemonSet", ("daemonset", "ds")),
    "jobs": ("Job", ("job",)),
    "cronjobs": ("CronJob", ("cronjob", "cj")),
    "configmaps": ("ConfigMap", ("configmap", "cm")),
    "secrets": ("Secret", ("secret",)),
    "serviceaccounts": ("ServiceAccount", ("serviceaccount", "sa")),
    "persistentvolumeclaims": ("PersistentVolumeClaim", ("persistentvolumeclaim", "pvc")),
    "ingresses": ("Ingress", ("ingress", "ing")),
    "networkpolicies": ("NetworkPolicy", ("networkpolicy", "netpol")),
    "events": ("Event", ("event", "ev")),
    "nodes": ("Node", ("node", "no")),
    "namespaces": ("Namespace", ("namespace", "ns")),
}
_ALIASES: dict[str, str] = {
    alias: plural
    for plural, (kind, aliases) in _RESOURCES.items()
    for alias in (plural, kind.lower(), *aliases)
}


def resource_name(text: str) -> str | None:
    """The API plural for a kubectl resource type (``svc`` -> ``services``), or None."""
    return _ALIASES.get(text.lower())


def resource_kind(text: str) -> str | None:
    """The object Kind for a kubectl resource type (``svc`` -> ``Service``), or None."""
    plural = resource_name(text)
    return _RESOURCES[plural][0] if plural else None


_LABEL_KEY = r"(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"
_LABEL_VALUE = r"(?:[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?"
_REQUIREMENT = re.compile(
    rf"\s*(?:!\s*{_LABEL_KEY}|{_LABEL_KEY}\s*(?:(?:==?|!=)\s*{_LABEL_VALUE}"
    rf"|\s(?:in|notin)\s*\(\s*{_LABEL_VALUE}(?:\s*,\s*{_LABEL_VALUE})*\s*\))?)\s*"
)


def check_selector(selector: str) -> str | None:
    """Why a label selector is not valid kubectl syntax, or None when it is."""
    if not selector.strip():
        return "the label selector is empty"
    for part in re.split(r",(?![^()]*\))", selector):
        if not _REQUIREMENT.fullmatch(part):
            return f"{part.strip()!r} is not a label requirement (key=value, key!=value, key in (a,b), key, !key)"
    return None
