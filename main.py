#!/usr/bin/env python3
"""Start the gridmap desktop app. See `python main.py --help`."""

import sys

from gridmap.app import run

if __name__ == "__main__":
    sys.exit(run())
