"""One usage line per kubectl verb a step may run: the hint every parse error ends with."""

from __future__ import annotations

__all__ = ["USAGE"]

USAGE = {
    "kubectl": "kubectl [-n NS] VERB ...",
    "get": "kubectl get TYPE[,TYPE...] [NAME...] | TYPE/NAME... [-n NS | -A] [-l SELECTOR] [--field-selector F] "
           "[-o wide|yaml|json|name|jsonpath=T|custom-columns=C] [--show-labels] [-L KEY] [--sort-by=P] "
           "[--no-headers] [-w [--output-watch-events]]",
    "describe": "kubectl describe TYPE [NAME_PREFIX...] | TYPE/NAME... [-n NS | -A] [-l SELECTOR]",
    "logs": "kubectl logs POD|TYPE/NAME | -l SELECTOR [-c C | --all-containers] [--tail N] [--since D] "
            "[--timestamps] [--prefix] [--previous]",
    "events": "kubectl events [--for TYPE/NAME] [--types Normal,Warning] [-n NS | -A] [--no-headers]",
    "top": "kubectl top pod [NAME | -l SELECTOR] [-n NS | -A] [--field-selector F] [--containers] [--sum] "
           "[--sort-by=cpu|memory] [--no-headers] | kubectl top node [NAME | -l SELECTOR] [--show-capacity] "
           "[--sort-by=cpu|memory] [--no-headers]",
    "exec": "kubectl exec POD [-n NS] [-c CONTAINER] -- COMMAND [ARGS...]",
    "port-forward": "kubectl port-forward svc/NAME|pod/NAME [LOCAL:]REMOTE [-n NS]",
    "scale": "kubectl scale TYPE/NAME... --replicas=N",
    "delete": "kubectl delete TYPE NAME... | TYPE/NAME... | TYPE -l SELECTOR [--wait=false]",
    "apply": "kubectl apply -f FILE (a file beside the scenario)",
    "label": "kubectl label TYPE/NAME KEY=VALUE... KEY-... [--overwrite]",
    "annotate": "kubectl annotate TYPE/NAME KEY=VALUE... KEY-... [--overwrite]",
    "patch": "kubectl patch TYPE/NAME [--type strategic|merge|json] -p PATCH",
    "set": "kubectl set image TYPE/NAME CONTAINER=IMAGE...",
    "rollout": "kubectl rollout status|history|undo|restart|pause|resume TYPE/NAME [--to-revision=N] [--timeout=D]",
    "wait": "kubectl wait TYPE/NAME... | TYPE -l SELECTOR --for=condition=C[=V]|delete|jsonpath='{P}'=V "
            "[--timeout=D]",
}
