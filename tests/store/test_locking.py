"""No process ever drops another's SQLite locks on the store file.

POSIX drops every fcntl lock a process holds on a file when it closes *any* descriptor of that
file. A process that has the store open and then reads the file with Python's open()/close() (to
check the header, to copy it, ...) silently loses its locks; the next program to close the file then
believes it is the last user, checkpoints and deletes the WAL under the first one, and commits the
first one makes afterwards are lost. These tests fail if anything in gridmap does that.
"""

import os
import sqlite3
import subprocess
import sys

import pytest

from gridmap.store import create_store, open_store
from gridmap.store.errors import NotAStoreError, StoreInUseError


def _other_process_opens_and_closes(path):
    """Another program (plain SQLite) opens the file, reads, and closes: the last one out checkpoints."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT count(*) FROM sqlite_master').fetchone(); c.close()")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)


def _write_marker(store, value):
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO gridmap_setting (key, value) VALUES (?, ?)", (f"marker-{value}", value))


@pytest.mark.parametrize("second_open", ["open_store", "open_store_no_migrate"])
def test_opening_the_store_again_keeps_the_first_connections_locks(tmp_path, second_open):
    path = tmp_path / "s.sqlite"
    create_store(path, 4546).close()
    first = open_store(path)
    _write_marker(first, "1")
    assert os.path.exists(f"{path}-wal")
    # the same process opens the store again (the desktop does for every dock, the service per thread)
    second = open_store(path, migrate=second_open == "open_store")
    _other_process_opens_and_closes(path)
    # had the first connection lost its locks, the other process would have deleted the WAL
    assert os.path.exists(f"{path}-wal"), "another process deleted the WAL under an open store"
    _write_marker(first, "2")
    second.close()
    first.close()
    with open_store(path) as again:
        assert again.setting("marker-1") == "1"
        assert again.setting("marker-2") == "2"


def test_a_failed_open_of_a_non_store_keeps_the_open_stores_locks(tmp_path):
    path = tmp_path / "s.sqlite"
    create_store(path, 4546).close()
    first = open_store(path)
    _write_marker(first, "1")
    # a user points another command at a garbage file: refused, and nothing else disturbed
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"garbage, not a database" * 10)
    with pytest.raises(NotAStoreError):
        open_store(garbage)
    assert garbage.read_bytes() == b"garbage, not a database" * 10
    _other_process_opens_and_closes(path)
    assert os.path.exists(f"{path}-wal")
    first.close()


def test_opening_a_missing_file_creates_nothing(tmp_path):
    from gridmap.store import StoreError

    with pytest.raises(StoreError, match="no such store file"):
        open_store(tmp_path / "missing.sqlite")
    assert list(tmp_path.iterdir()) == []


def test_backup_copies_a_live_store_without_losing_its_locks(tmp_path):
    from gridmap.store.connection import backup_store

    path = tmp_path / "s.sqlite"
    create_store(path, 4546).close()
    first = open_store(path)
    _write_marker(first, "1")
    copy = tmp_path / "copy.sqlite"
    backup_store(first, copy)
    _other_process_opens_and_closes(path)
    assert os.path.exists(f"{path}-wal")
    _write_marker(first, "2")
    first.close()
    with open_store(copy) as c:
        assert c.setting("marker-1") == "1" and c.setting("marker-2") is None
    assert sqlite3.connect(copy).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_shapely_keeps_its_own_geos_after_a_store_is_opened(tmp_path):
    """SQLite loads mod_spatialite RTLD_GLOBAL; shapely must not bind to the system GEOS afterwards."""
    code = (
        "import sys\n"
        "from gridmap.store import create_store\n"
        "create_store(sys.argv[1], 4546).close()\n"
        "import numpy as np, shapely\n"
        "p = shapely.box(0, 0, 1, 1); shapely.prepare(p)\n"
        "print(int(shapely.contains_xy(p, np.full(10, 0.5), np.full(10, 0.5)).sum()))\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.sqlite")], capture_output=True, check=False,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "10"


def test_a_store_in_use_is_never_replaced(tmp_path):
    """'gridmap demo --force' (or any overwrite) on a file another program has open is refused."""
    import time

    path = tmp_path / "city.sqlite"
    create_store(path, 4546).close()
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom gridmap.store import open_store\n"
                               "s = open_store(sys.argv[1]); print('open', flush=True); time.sleep(60)", str(path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        before = path.stat().st_ino
        done = subprocess.run([sys.executable, "-m", "gridmap.cli", "demo", "--db", str(path), "--force",
                               "--scale", "0.02"], capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 2 and "open in another program" in done.stderr, done.stderr[-500:]
        assert path.stat().st_ino == before
        with pytest.raises(StoreInUseError):
            create_store(path, 4546, overwrite=True)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    create_store(path, 4546, overwrite=True).close()  # free again: replaced
