"""``python -m gridmap.cli``: the same command line as the ``gridmap`` script."""

from __future__ import annotations

import sys

from gridmap.cli import main

sys.exit(main())
