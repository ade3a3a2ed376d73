"""Pod volumes, one block per volume source, as ``describeVolumes`` prints them.

Port of ``describeVolumes`` and the ``print*VolumeSource`` functions of
k8s.io/kubectl v0.34.4 ``pkg/describe/describe.go``. The sources that only
print fields are a table (:data:`_PLAIN_SOURCES`), each value formatted as Go's
``%v`` formats its Go type; the others have their own function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._quantity import ZERO, quantity_of
from ._storage import print_persistent_volume_claim
from ._writer import MAX_ANNOTATION_LEN, PrefixWriter, bool_text, go_list, shorten

__all__ = ["describe_volumes"]

Field = tuple[str, str, str]
"""(label as printed, JSON field, Go type: s string, b bool, i int, l []string, r *LocalObjectReference, m map)."""

_PLAIN_SOURCES: dict[str, tuple[str, list[Field]]] = {
    "gcePersistentDisk": ("GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)", [
        ("PDName:", "pdName", "s"), ("FSType:", "fsType", "s"), ("Partition:", "partition", "i"),
        ("ReadOnly:", "readOnly", "b")]),
    "awsElasticBlockStore": ("AWSElasticBlockStore (a Persistent Disk resource in AWS)", [
        ("VolumeID:", "volumeID", "s"), ("FSType:", "fsType", "s"), ("Partition:", "partition", "i"),
        ("ReadOnly:", "readOnly", "b")]),
    "gitRepo": ("GitRepo (a volume that is pulled from git when the pod is created)", [
        ("Repository:", "repository", "s"), ("Revision:", "revision", "s")]),
    "nfs": ("NFS (an NFS mount that lasts the lifetime of a pod)", [
        ("Server:", "server", "s"), ("Path:", "path", "s"), ("ReadOnly:", "readOnly", "b")]),
    "iscsi": ("ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)",
              [("TargetPortal:", "targetPortal", "s"), ("IQN:", "iqn", "s"), ("Lun:", "lun", "i"),
               ("ISCSIInterface", "iscsiInterface", "s"), ("FSType:", "fsType", "s"),
               ("ReadOnly:", "readOnly", "b"), ("Portals:", "portals", "l"),
               ("DiscoveryCHAPAuth:", "chapAuthDiscovery", "b"), ("SessionCHAPAuth:", "chapAuthSession", "b"),
               ("SecretRef:", "secretRef", "r"), ("InitiatorName:", "initiatorName", "n")]),
    "glusterfs": ("Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)", [
        ("EndpointsName:", "endpoints", "s"), ("Path:", "path", "s"), ("ReadOnly:", "readOnly", "b")]),
    "rbd": ("RBD (a Rados Block Device mount on the host that shares a pod's lifetime)", [
        ("CephMonitors:", "monitors", "l"), ("RBDImage:", "image", "s"), ("FSType:", "fsType", "s"),
        ("RBDPool:", "pool", "s"), ("RadosUser:", "user", "s"), ("Keyring:", "keyring", "s"),
        ("SecretRef:", "secretRef", "r"), ("ReadOnly:", "readOnly", "b")]),
    "quobyte": ("Quobyte (a Quobyte mount on the host that shares a pod's lifetime)", [
        ("Registry:", "registry", "s"), ("Volume:", "volume", "s"), ("ReadOnly:", "readOnly", "b")]),
    "azureDisk": ("AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)", [
        ("DiskName:", "diskName", "s"), ("DiskURI:", "diskURI", "s"), ("Kind: ", "kind", "s"),
        ("FSType:", "fsType", "s"), ("CachingMode:", "cachingMode", "s"), ("ReadOnly:", "readOnly", "b")]),
    "vsphereVolume": ("vSphereVolume (a Persistent Disk resource in vSphere)", [
        ("VolumePath:", "volumePath", "s"), ("FSType:", "fsType", "s"),
        ("StoragePolicyName:", "storagePolicyName", "s")]),
    "cinder": ("Cinder (a Persistent Disk resource in OpenStack)", [
        ("VolumeID:", "volumeID", "s"), ("FSType:", "fsType", "s"), ("ReadOnly:", "readOnly", "b"),
        ("SecretRef:", "secretRef", "r")]),
    "photonPersistentDisk": ("PhotonPersistentDisk (a Persistent Disk resource in photon platform)", [
        ("PdID:", "pdID", "s"), ("FSType:", "fsType", "s")]),
    "portworxVolume": ("PortworxVolume (a Portworx Volume resource)", [("VolumeID:", "volumeID", "s")]),
    "scaleIO": ("ScaleIO (a persistent volume backed by a block device in ScaleIO)", [
        ("Gateway:", "gateway", "s"), ("System:", "system", "s"), ("Protection Domain:", "protectionDomain", "s"),
        ("Storage Pool:", "storagePool", "s"), ("Storage Mode:", "storageMode", "s"),
        ("VolumeName:", "volumeName", "s"), ("FSType:", "fsType", "s"), ("ReadOnly:", "readOnly", "b")]),
    "cephfs": ("CephFS (a CephFS mount on the host that shares a pod's lifetime)", [
        ("Monitors:", "monitors", "l"), ("Path:", "path", "s"), ("User:", "user", "s"),
        ("SecretFile:", "secretFile", "s"), ("SecretRef:", "secretRef", "r"), ("ReadOnly:", "readOnly", "b")]),
    "storageos": ("StorageOS (a StorageOS Persistent Disk resource)", [
        ("VolumeName:", "volumeName", "s"), ("VolumeNamespace:", "volumeNamespace", "s"),
        ("FSType:", "fsType", "s"), ("ReadOnly:", "readOnly", "b")]),
    "azureFile": ("AzureFile (an Azure File Service mount on the host and bind mount to the pod)", [
        ("SecretName:", "secretName", "s"), ("ShareName:", "shareName", "s"), ("ReadOnly:", "readOnly", "b")]),
    "flexVolume": ("FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)", [
        ("Driver:", "driver", "s"), ("FSType:", "fsType", "s"), ("SecretRef:", "secretRef", "r"),
        ("ReadOnly:", "readOnly", "b"), ("Options:", "options", "m")]),
    "flocker": ("Flocker (a Flocker volume mounted by the Flocker agent)", [
        ("DatasetName:", "datasetName", "s"), ("DatasetUUID:", "datasetUUID", "s")]),
    "image": ("Image (a container image or OCI artifact)", [
        ("Reference:", "reference", "s"), ("PullPolicy:", "pullPolicy", "s")]),
}


def _go_value(source: Mapping[str, Any], field: str, kind: str) -> str:
    """``%v`` of the Go field behind a JSON field (absent fields are Go's zero values)."""
    value = source.get(field)
    if kind == "b":
        return bool_text(value)
    if kind == "i":
        return str(value or 0)
    if kind == "l":
        return go_list(value)
    if kind == "r":
        return "nil" if value is None else f"&LocalObjectReference{{Name:{value.get('name', '')},}}"
    if kind == "m":
        return "map[" + " ".join(f"{k}:{v}" for k, v in sorted((value or {}).items())) + "]"
    if kind == "n":
        return "<none>" if value is None else str(value)
    return "" if value is None else str(value)


def _print_plain(w: PrefixWriter, description: str, fields: list[Field], source: Mapping[str, Any]) -> None:
    w.write(2, f"Type:\t{description}\n")
    for label, field, kind in fields:
        w.write(2, f"{label}\t{_go_value(source, field, kind)}\n")


def _host_path(w: PrefixWriter, source: Mapping[str, Any]) -> None:
    w.write(2, "Type:\tHostPath (bare host directory volume)\n")
    w.write(2, f"Path:\t{source.get('path', '')}\n")
    w.write(2, f"HostPathType:\t{source['type'] if source.get('type') is not None else '<none>'}\n")


def _empty_dir(w: PrefixWriter, source: Mapping[str, Any]) -> None:
    limit = quantity_of(source.get("sizeLimit"))
    w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n")
    w.write(2, f"Medium:\t{source.get('medium', '')}\n")
    w.write(2, f"SizeLimit:\t{limit.string() if limit.cmp(ZERO) > 0 else '<unset>'}\n")


def _secret(w: PrefixWriter, source: Mapping[str, Any]) -> None:
    w.write(2, "Type:\tSecret (a volume populated by a Secret)\n")
    w.write(2, f"SecretName:\t{source.get('secretName', '')}\n")
    w.write(2, f"Optional:\t{bool_text(source.get('optional'))}\n")


def _config_map(w: PrefixWriter, source: Mapping[str, Any]) -> None:
    w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n")
    w.write(2, f"Name:\t{source.get('name', '')}\n")
    w.write(2, f"Optional:\t{bool_text(source.get('optional'))}\n")


def _projected(w: PrefixWriter, source: Mapping[str, Any]) -> None:
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
    for item in source.get("sources") or []:
        if item.get("secret") is not None:
            w.write(2, f"SecretName:\t{item['secret'].get('name', '')}\n")
            w.write(2, f"Optional:\t{bool_text(item['secret'].get('optional'))}\n")
        elif item.get("downwardAPI") is not None:
            w.write(2, "DownwardAPI:\ttrue\n")
        elif item.get("configMap") is not None:
            w.write(2, f"ConfigMapName:\t{item['configMap'].get('name', '')}\n")
            w.write(2, f"Optional:\t{bool_text(item['configMap'].get('optional'))}\n")
        elif item.get("serviceAccountToken") is not None:
            w.write(2, f"TokenExpirationSeconds:\t{item['serviceAccountToken'].get('expirationSeconds', 0)}\n")


def _claim(w: PrefixWriter, source: Mapping[str, Any]) -> None:
    w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n")
    w.write(2, f"ClaimName:\t{source.get('claimName', '')}\n")
    w.write(2, f"ReadOnly:\t{bool_text(source.get('readOnly'))}\n")


def _ephemeral(w: PrefixWriter, source: Mapping[str, Any]) -> None:
    w.write(2, "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted "
               "with the pod)\n")
    template = source.get("volumeClaimTemplate")
    if template is not None:
        claim = {"metadata": template.get("metadata") or {}, "spec": template.get("spec") or {}}
        print_persistent_volume_claim(w.nested(2), claim, full=False)


def _downward_api(w: PrefixWriter, source: Mapping[str, Any]) -> None:
    w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n")
    w.write(2, "Items:\n")
    for item in source.get("items") or []:
        if item.get("fieldRef") is not None:
            w.write(3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
        if item.get("resourceFieldRef") is not None:
            w.write(3, f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}\n")


def _fibre_channel(w: PrefixWriter, source: Mapping[str, Any]) -> None:
    lun = source.get("lun")
    w.write(2, "Type:\tFC (a Fibre Channel disk)\n")
    w.write(2, f"TargetWWNs:\t{', '.join(source.get('targetWWNs') or [])}\n")
    w.write(2, f"LUN:\t{'<none>' if lun is None else lun}\n")
    w.write(2, f"FSType:\t{source.get('fsType', '')}\n")
    w.write(2, f"ReadOnly:\t{bool_text(source.get('readOnly'))}\n")


def _csi(w: PrefixWriter, source: Mapping[str, Any]) -> None:
    w.write(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n")
    w.write(2, f"Driver:\t{source.get('driver', '')}\n")
    w.write(2, f"FSType:\t{source.get('fsType', '')}\n")
    w.write(2, f"ReadOnly:\t{bool_text(source.get('readOnly'))}\n")
    attributes = source.get("volumeAttributes") or {}
    w.write(2, "VolumeAttributes:\t")
    if not attributes:
        w.write_line("<none>")
        return
    for index, key in enumerate(sorted(attributes)):
        if index:
            w.write(2, "")
            w.write(2, "\t")
        w.write(2, f"{shorten(f'{key}={attributes[key]}', MAX_ANNOTATION_LEN)}\n")


_SOURCES: dict[str, Callable[[PrefixWriter, Mapping[str, Any]], None]] = {
    "hostPath": _host_path, "emptyDir": _empty_dir, "secret": _secret, "configMap": _config_map,
    "persistentVolumeClaim": _claim, "ephemeral": _ephemeral, "downwardAPI": _downward_api,
    "fc": _fibre_channel, "projected": _projected, "csi": _csi,
}
_ORDER = ["hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "configMap",
          "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "ephemeral", "rbd", "quobyte", "downwardAPI",
          "azureDisk", "vsphereVolume", "cinder", "photonPersistentDisk", "portworxVolume", "scaleIO", "cephfs",
          "storageos", "fc", "azureFile", "flexVolume", "flocker", "projected", "csi", "image"]


def describe_volumes(w: PrefixWriter, volumes: list[dict[str, Any]] | None, space: str) -> None:
    """``describeVolumes``: each volume's name, then its first set source (Go's switch order)."""
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for volume in volumes:
        w.write(1, f"{' ' if space else ''}{volume.get('name', '')}:\n")
        key = next((k for k in _ORDER if volume.get(k) is not None), None)
        if key is None:
            w.write(1, "<unknown>\n")
        elif key in _SOURCES:
            _SOURCES[key](w, volume[key])
        else:
            _print_plain(w, *_PLAIN_SOURCES[key], volume[key])
