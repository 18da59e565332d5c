"""The benchmark helpers are scripts next to each other, not a package: import them by path."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
