"""Package discovery that cannot miss a subpackage: every package under reportgen/,
plus the top-level templates/ folder installed as reportgen.templates."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["reportgen", "reportgen.*"]), "reportgen.templates"],
    package_dir={"reportgen.templates": "templates"},
)
