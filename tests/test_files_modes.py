"""atomic_write gives a new file the permissions a plain new file would get (0o666 less
the umask) and keeps those of a file it replaces."""

from __future__ import annotations

import os
import stat

import pytest

from catauto._files import atomic_write


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_atomic_write_modes(tmp_path, umask: int) -> None:
    old = os.umask(umask)
    try:
        new = tmp_path / f"new-{umask:o}.txt"
        atomic_write(new, "x")
        plain = tmp_path / f"plain-{umask:o}.txt"
        plain.write_text("x")  # what open() gives, for reference
        assert stat.S_IMODE(new.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
        assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
        os.chmod(new, 0o640)
        atomic_write(new, b"y")
        assert stat.S_IMODE(new.stat().st_mode) == 0o640 and new.read_bytes() == b"y"
    finally:
        os.umask(old)
