"""``python -m reportgen``: the same as the ``reportgen`` command."""

from ._previews import main

main()
