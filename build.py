#!/usr/bin/env python3
"""Build the timeline site: python build.py [build|check] [--content DIR --out DIR ...]"""

from dateline.cli import run

if __name__ == "__main__":
    run()
