"""``python -m tabmcp_ops.monitor``: the monitor's command line (:mod:`tabmcp_ops.monitor.cli`)."""

import sys

from tabmcp_ops.monitor.cli import main

sys.exit(main())
