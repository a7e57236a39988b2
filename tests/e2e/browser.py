"""What the browser tests share that is not a fixture."""

from pathlib import Path

# Screenshots of the browser tests (looked at by people; not compared by the tests).
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
