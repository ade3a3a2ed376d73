"""What counts as a change between two runs of a lab (the no-churn rule), as a pure function."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from reportgen._evidence import Bundle
from reportgen._normalize import comparable, drift, normalize

BUNDLE = json.loads((Path(__file__).parent / "fixtures" / "bundles" / "services.lab.json").read_text())


def test_what_differs_between_two_runs_of_an_unchanged_lab_is_masked():
    one = ("run 20261202-062921-bfd096 in rg-services-bfd096 at 2026-12-02T06:29:21Z, 2026-12-02 06:29 UTC\n"
           "backend-app-57c7cd5d4b-4mtqg   1/1   Running   0   3s    10.244.0.20   labnode\n"
           "web-x7k2p  10.96.0.10:53  2026년 12월 2일  December 2, 2026  2026.12.02\n")
    two = ("run 20261203-031500-0a1b2c in rg-services-0a1b2c at 2026-12-03T03:15:00Z, 2026-12-03 03:15 UTC\n"
           "backend-app-6d4cf56db6-vj6bm   1/1   Running   0   12m   10.244.0.7    labnode\n"
           "web-q9wzv  10.96.0.11:53  2026년 12월 3일  December 3, 2026  2026.12.03\n")
    assert normalize(one) == normalize(two)


def test_a_change_a_reader_cares_about_is_not_masked():
    base = "web   2/2   Running   0   3s   10.244.0.20\nimage: nginx:alpine\n"
    for changed in ("web   3/3   Running   0   3s   10.244.0.20\nimage: nginx:alpine\n",
                    "web   2/2   CrashLoopBackOff   0   3s   10.244.0.20\nimage: nginx:alpine\n",
                    "web   2/2   Running   0   3s   10.244.0.20\nimage: nginx:1.27\n"):
        assert normalize(base) != normalize(changed)


def test_comparable_ignores_the_digest_the_changes_callout_blank_lines_and_stream_interleaving():
    note = "# Lab\n\n%% reportgen:digest 0123456789abcdef x %%\n\n```bash\n$ nslookup a\nout\n** err\n```\n"
    other = ("# Lab\n\n%% reportgen:digest fedcba9876543210 x %%\n> [!abstract]- Changes since the last run\n"
             "> - something\n\n\n```bash\n$ nslookup a\n** err\nout\n```\n")
    assert comparable(note) == comparable(other)
    assert comparable(note) != comparable(note.replace("out\n", "other\n"))


def test_drift_names_flipped_checks_changed_outputs_and_objects():
    previous = Bundle.from_dict(copy.deepcopy(BUNDLE))
    data = copy.deepcopy(BUNDLE)
    check = data["sections"][1]["checks"][0]
    check["status"] = "failed"
    capture = data["sections"][1]["captures"][0]
    capture["stdout"] = capture["stdout"].replace("Running", "Pending", 1)
    for piece in capture.get("streams") or []:
        piece[1] = piece[1].replace("Running", "Pending", 1)
    data["objects"]["service/new-one"] = {}
    current = Bundle.from_dict(data)
    changes = drift(previous, current)
    assert changes is not None
    assert [(f["id"], f["before"], f["after"]) for f in changes["flipped"]] == [(check["id"], "passed", "failed")]
    assert [o["step"] for o in changes["outputs"]] == [capture["step_id"]]
    assert any("Pending" in line for line in changes["outputs"][0]["diff"])
    assert changes["added"] == ["service/new-one"] and changes["gone"] == [] and changes["version"] is None
    assert drift(None, current) is None
    same = drift(previous, Bundle.from_dict(copy.deepcopy(BUNDLE)))
    assert same == {"flipped": [], "outputs": [], "added": [], "gone": [], "version": None}


def test_drift_does_not_call_an_output_changed_when_only_its_line_order_differs():
    previous = Bundle.from_dict(copy.deepcopy(BUNDLE))
    data = copy.deepcopy(BUNDLE)
    capture = next(c for s in data["sections"] for c in s["captures"] if "\n\n" in c["stdout"])
    reordered = "\n\n".join(reversed(capture["stdout"].split("\n\n")))
    assert reordered != capture["stdout"]
    capture["stdout"], capture["streams"] = reordered, [["stdout", reordered]]
    assert drift(previous, Bundle.from_dict(data))["outputs"] == []  # type: ignore[index]
    capture["stdout"] = capture["streams"][0][1] = reordered + "one line more\n"
    assert [o["step"] for o in drift(previous, Bundle.from_dict(data))["outputs"]] == [capture["step_id"]]  # type: ignore[index]


def _note(*block: str) -> str:
    return "# Note\n\n```console\n" + "\n".join(block) + "\n```\n"


def test_timing_lines_of_rollouts_watches_and_events_do_not_count():
    """rollout status progress, repeated watch rows, tabwriter widening and event aggregation vary run to run."""
    first = _note(
        'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...',
        'deployment "web" successfully rolled out',
        "db-0   0/1     Pending   0          0s",
        "db-0   0/1     Pending   0          0s",
        "db-0   1/1     Running   0          1s",
        "3s (x2 over 9s)   Normal   ScalingReplicaSet   Deployment/web   Scaled up replica set web from 2 to 3",
    )
    second = _note(
        'deployment "web" successfully rolled out',
        "db-0   0/1     Pending             0          0s",
        "db-0   1/1     Running             0          2s",
        "5s   Normal   ScalingReplicaSet   Deployment/web   (combined from similar events): Scaled up replica set "
        "web from 2 to 3",
    )
    assert comparable(first) == comparable(second)


def test_a_watch_that_saw_something_else_still_counts():
    running = _note("db-0   0/1     Pending   0          0s", "db-0   1/1     Running   0          1s")
    failing = _note("db-0   0/1     Pending   0          0s", "db-0   0/1     Error     0          1s")
    assert comparable(running) != comparable(failing)


def test_describe_times_and_the_run_pid_label_do_not_count():
    first = "Start Time:   Wed, 02 Dec 2026 14:29:31 +0000\nLabels:   reportgen.dev/pid=5718\n"
    second = "Start Time:   Thu, 03 Dec 2026 02:00:04 +0000\nLabels:   reportgen.dev/pid=91\n"
    assert normalize(first) == normalize(second)
    assert normalize("reportgen.dev/pid=5718") != normalize("reportgen.dev/run=5718")


def test_top_usage_figures_do_not_count_as_change_but_other_quantities_do() -> None:
    def note(block: str) -> str:
        return f"# Lab\n\n```\n{block}```\n"

    top = "NAME      CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \nlabnode   {}m          {}%       {}Mi          7%          \n"
    assert comparable(note(top.format(81, 4, 1841))) == comparable(note(top.format(436, 21, 1476)))
    assert comparable(note(top.format(81, 4, 1841))) != comparable(note(top.replace("labnode", "othernode").format(81, 4, 1841)))
    limits = "Limits:\n  memory:  {}Mi\n"
    assert comparable(note(limits.format(128))) != comparable(note(limits.format(256)))
