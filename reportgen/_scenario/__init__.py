"""Scenarios: load a lab scenario file, validate all of it, and normalize it.

:func:`load_scenario` reads the YAML with a position for every node, validates it
against ``schema/scenario.schema.json`` and then against what the schema cannot
say (ids, references, manifest files, command lines), and raises one
:class:`InvalidScenario` listing every problem with its ``file:line:column``.

The stage is split by job; each sub-module imports only those above it here:

* ``_values``: durations (:func:`parse_duration`), field paths and ``${variable}`` substitution.
* ``_model``: the dataclasses (:class:`Scenario`, :class:`Section`, :class:`Step`, ...),
  :class:`InvalidScenario`, the defaults and kinds, and the ``to_data`` helpers.
* ``_yaml``: YAML read with line and column marks (``_read_yaml``, ``_Source``) and its hints.
* ``_schema``: the JSON Schema (:func:`schema`) and its errors as positioned ``ScenarioError`` objects.
* ``_checker``: what the schema cannot say (``_Checker``): ids, references, manifests, commands.
* ``_load``: :func:`load_scenario`, which runs the above and builds the model.

This package re-exports the names the rest of ``reportgen`` and the tests import
(private ones included), so ``from reportgen._scenario import X`` keeps working.
"""

from __future__ import annotations

# The public names (``__all__``) and, as redundant aliases so that they count as
# re-exports, the private names the tests and the old single module offered.
from ._checker import _as_dict as _as_dict
from ._checker import _as_list as _as_list
from ._checker import _as_str as _as_str
from ._checker import _check_id as _check_id
from ._checker import _Checker as _Checker
from ._checker import _inside as _inside
from ._checker import _is_nslookup as _is_nslookup
from ._checker import _iter_steps as _iter_steps
from ._checker import _non_json as _non_json
from ._checker import _StepInfo as _StepInfo
from ._load import _build as _build
from ._load import _check as _check
from ._load import _load_text as _load_text
from ._load import _report as _report
from ._load import _sorted as _sorted
from ._load import _step as _step
from ._load import _wait as _wait
from ._load import load_scenario
from ._model import CHECK_KINDS as CHECK_KINDS
from ._model import (
    DEFAULT_STEP_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
    Block,
    Check,
    ComparisonColumn,
    ExternalLink,
    Finding,
    InvalidScenario,
    Link,
    Manifest,
    NextSteps,
    Report,
    Scenario,
    Section,
    Step,
    Wait,
)
from ._model import WAIT_KINDS as WAIT_KINDS
from ._model import _section_data as _section_data
from ._model import _wait_data as _wait_data
from ._schema import _ITEM_NAMES as _ITEM_NAMES
from ._schema import _SHAPE_HINTS as _SHAPE_HINTS
from ._schema import _TYPES as _TYPES
from ._schema import SCHEMA_PATH as SCHEMA_PATH
from ._schema import _explain as _explain
from ._schema import _explain_all as _explain_all
from ._schema import _explain_choice as _explain_choice
from ._schema import _name as _name
from ._schema import _suggest as _suggest
from ._schema import _type_error as _type_error
from ._schema import _type_name as _type_name
from ._schema import _unknown_key as _unknown_key
from ._schema import _validator as _validator
from ._schema import _where_in as _where_in
from ._schema import schema
from ._values import _DURATION as _DURATION
from ._values import _FIELD as _FIELD
from ._values import _UNITS as _UNITS
from ._values import MAX_DURATION_S as MAX_DURATION_S
from ._values import _split_field_path as _split_field_path
from ._values import _substitute as _substitute
from ._values import parse_duration
from ._yaml import _LINE_BREAK as _LINE_BREAK
from ._yaml import _MAX_DEPTH as _MAX_DEPTH
from ._yaml import _MAX_NODES as _MAX_NODES
from ._yaml import _YAML_HINTS as _YAML_HINTS
from ._yaml import _MarkedLoader as _MarkedLoader
from ._yaml import _NodePath as _NodePath
from ._yaml import _read_yaml as _read_yaml
from ._yaml import _Source as _Source
from ._yaml import _timestamp_as_text as _timestamp_as_text
from ._yaml import _TooLarge as _TooLarge
from ._yaml import _yaml_error as _yaml_error

__all__ = [
    "DEFAULT_STEP_TIMEOUT",
    "DEFAULT_WAIT_TIMEOUT",
    "Block",
    "Check",
    "ComparisonColumn",
    "ExternalLink",
    "Finding",
    "InvalidScenario",
    "Link",
    "Manifest",
    "NextSteps",
    "Report",
    "Scenario",
    "Section",
    "Step",
    "Wait",
    "load_scenario",
    "parse_duration",
    "schema",
]
