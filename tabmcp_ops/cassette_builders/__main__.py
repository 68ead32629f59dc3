"""``python -m tabmcp_ops.cassette_builders``: build (or ``--check``) every hand-built cassette."""

import sys

from tabmcp_ops.cassette_builders.build import main

sys.exit(main())
