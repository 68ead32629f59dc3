"""``python -m tabmcp_ops.mutants``: see :mod:`tabmcp_ops.mutants.cli`."""

import sys

from tabmcp_ops.mutants.cli import main

sys.exit(main())
