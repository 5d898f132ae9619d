"""PyInstaller entry point: the same `gakuseki` command as the console script."""

import sys

from app.main import main

if __name__ == "__main__":
    sys.exit(main())
