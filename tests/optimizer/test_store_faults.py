"""Store faults on real SQLite files: corrupt header or page, truncated file, a text file, a schema version without
tables, read-only, full (``max_pages``), locked (a short busy timeout while another connection holds ``BEGIN
EXCLUSIVE``). Each is a named ``StoreError`` with a fix, exit code 2 in the CLI, and nothing saved is lost."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from optimizer.cli.dietitian import main as dietitian_main
from optimizer.dietitian.store import (
    Store,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreSchemaError,
    StoreUnavailableError,
)
from optimizer.domain.profile import Profile

PROFILE = Profile(sex="female", age=40)
PAGE = 4096


def filled_store(path: Path, clients: int = 12) -> Path:
    """A store with ``clients`` clients (long notes, so the clients table spans several pages), checkpointed into
    the main file (no -wal left) so that damaging the file damages the data."""
    store = Store(path)
    for i in range(clients):
        store.add_client(name=f"client {i:02d}", profile=PROFILE, notes="n" * 1500)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return path


def root_page(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        conn.close()


def damage(path: Path, offset: int, data: bytes) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset:offset + len(data)] = data
    path.write_bytes(bytes(raw))


def reading_fails(path: Path, kind: type[StoreError]) -> StoreError:
    with pytest.raises(kind) as caught:
        Store(path).list_clients()
    err = caught.value
    assert str(path) in str(err) and "Fix:" in str(err)
    assert err.path == path
    return err


def test_corrupt_header(tmp_path):
    path = filled_store(tmp_path / "c.sqlite3")
    damage(path, 0, b"this is no db!!!")
    err = reading_fails(path, StoreCorruptError)
    assert "not a database" in err.sqlite_message and "backup" in str(err)


def test_corrupt_page(tmp_path):
    path = filled_store(tmp_path / "c.sqlite3")
    start = (root_page(path, "clients") - 1) * PAGE
    damage(path, start, b"\xff")  # the b-tree page type of the clients table
    reading_fails(path, StoreCorruptError)


def test_truncated_file(tmp_path):
    path = filled_store(tmp_path / "c.sqlite3")
    size = path.stat().st_size
    assert size > 6 * PAGE
    with open(path, "r+b") as f:
        f.truncate(size // 2)
    reading_fails(path, StoreCorruptError)


def test_a_text_file_given_as_the_database(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("name,age\nAnn,40\n" * 200)
    with pytest.raises(StoreCorruptError, match="not a sound SQLite database"):
        Store(path)
    assert path.read_text().startswith("name,age")  # the file is left as it was


def test_schema_version_without_tables(tmp_path):
    path = tmp_path / "empty.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    with pytest.raises(StoreSchemaError, match="has no clients, plans, price_lists table"):
        Store(path)


def test_a_folder_given_as_the_database(tmp_path):
    with pytest.raises(StoreUnavailableError, match="is a folder"):
        Store(tmp_path)


def test_full_store_refuses_the_write_and_keeps_what_was_saved(tmp_path):
    path = tmp_path / "c.sqlite3"
    Store(path)  # schema first, without a cap
    store = Store(path, max_pages=14)
    saved = []
    with pytest.raises(StoreFullError, match="full") as caught:
        for i in range(200):
            store.add_client(name=f"client {i:03d}", profile=PROFILE, notes="n" * 3000)
            saved.append(f"client {i:03d}")
    assert "Nothing saved before was changed" in str(caught.value)
    assert saved and [c.name for c in Store(path).list_clients()] == saved
    assert Store(path).integrity_check() == "ok"


def test_locked_store_times_out_with_a_named_error(tmp_path):
    path = tmp_path / "c.sqlite3"
    Store(path).add_client(name="Ann", profile=PROFILE)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLockedError, match="kept it locked for 0.2 s") as caught:
            Store(path, timeout_s=0.2).add_client(name="Bea", profile=PROFILE)
        assert "close the other" in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [c.name for c in Store(path).list_clients()] == ["Ann"]


def test_bad_store_options():
    from optimizer.dietitian.store import StorageError

    for kwargs in ({"timeout_s": float("inf")}, {"timeout_s": -1}, {"max_pages": 0}, {"max_pages": True}):
        with pytest.raises(StorageError):
            Store(Path(tempfile.gettempdir()) / "never-created.sqlite3", **kwargs)


READ_ONLY_PROBE = """
import sys
from optimizer.dietitian.store import Store, StoreError
try:
    Store(sys.argv[1]).add_client(name="Bea", profile={"sex": "female", "age": 40})
except StoreError as err:
    print(type(err).__name__)
    print(err)
    sys.exit(0)
print("WROTE")
"""


def test_read_only_store(tmp_path):
    """A store file and folder the user may not write. Root may write anything, so as root the probe runs without
    the capabilities that bypass file permissions (``setpriv``), i.e. as a normal user would."""
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "c.sqlite3"
    Store(path).add_client(name="Ann", profile=PROFILE)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for extra in folder.glob("c.sqlite3-*"):
        extra.unlink()
    before = path.read_bytes()
    command = [sys.executable, "-c", READ_ONLY_PROBE, str(path)]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: file permissions cannot be enforced")
        caps = "-dac_override,-dac_read_search,-fowner"
        command = ["setpriv", "--bounding-set", caps, f"--inh-caps={caps}", "--", *command]
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=str(Path(__file__).parents[2]))
    finally:
        os.chmod(folder, 0o755)
        os.chmod(path, 0o644)
    assert done.returncode == 0, done.stderr
    first, _, message = done.stdout.partition("\n")
    assert first == "StoreReadOnlyError", done.stdout + done.stderr
    assert "read-only" in message and "chmod" in message and str(path) in message
    assert path.read_bytes() == before


def test_cli_exits_2_with_the_named_error(tmp_path, capsys):
    path = filled_store(tmp_path / "c.sqlite3")
    damage(path, 0, b"this is no db!!!")
    assert dietitian_main(["client", "list", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "not a sound SQLite database" in err and "Traceback" not in err
    text = tmp_path / "plain.txt"
    text.write_text("hello\n" * 100)
    assert dietitian_main(["client", "show", "Ann", "--db", str(text)]) == 2
    assert "Fix:" in capsys.readouterr().err
