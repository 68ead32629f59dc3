"""``python -m pytest_tabmcp.standin``: the ``tabmcp-standin`` command."""

import sys

from pytest_tabmcp.standin.serve import main

sys.exit(main())
