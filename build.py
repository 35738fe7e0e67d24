#!/usr/bin/env python3
"""Build the timeline site: python build.py [build|check] [--content DIR --out DIR ...]"""

import sys

from dateline.cli import main

if __name__ == "__main__":
    sys.exit(main())
