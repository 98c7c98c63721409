"""Output folders and files: nothing a user wrote is deleted or overwritten; writes are atomic."""

import json
import os
import stat
from pathlib import Path

import pytest

from qlaci_cost.output import files
from qlaci_cost.output.files import MANIFEST, FolderError, atomic_write, check_folder, publish


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _build(tmp_path: Path, content: dict[str, str], name: str = "build") -> Path:
    folder = tmp_path / name
    for rel, text in content.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return folder


def test_atomic_write_follows_the_umask_and_keeps_an_existing_mode(tmp_path):
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.txt"
        atomic_write(new, "x")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644 and new.read_text() == "x"
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        os.chmod(kept, 0o640)
        atomic_write(kept, b"new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_bytes() == b"new"
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt", "new.txt"]


def test_a_new_folder_gets_the_files_and_a_manifest_of_their_hashes(tmp_path):
    out = tmp_path / "out"
    written = publish(_build(tmp_path, {"a.csv": "x\n1\n", "figures/f.png": "png"}), out)
    assert written == ["a.csv", "figures/f.png"]
    doc = json.loads((out / MANIFEST).read_text())
    assert doc["files"] == {n: files.file_hash(out / n) for n in written}
    assert not (tmp_path / "build").exists()


def test_a_non_empty_folder_without_manifest_is_refused_and_untouched(tmp_path):
    out = tmp_path / "mydir"
    (out / "data").mkdir(parents=True)
    (out / "paper.tex").write_text("draft\n")
    before = _tree(out)
    with pytest.raises(FolderError, match="mydir.*not empty.*no qlaci-cost report"):
        publish(_build(tmp_path, {"index.md": "# qlaci-cost report\n"}), out)
    assert _tree(out) == before and (out / "data").is_dir()


def test_an_empty_folder_is_filled(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    publish(_build(tmp_path, {"index.md": "i"}), out)
    assert (out / "index.md").read_text() == "i" and (out / MANIFEST).exists()


def test_a_rerun_replaces_only_its_own_files_and_keeps_the_users(tmp_path):
    out = tmp_path / "rep"
    publish(_build(tmp_path, {"index.md": "1", "old.csv": "o", "figures/a.png": "a"}, "b1"), out)
    (out / "mine.txt").write_text("user")
    (out / "drafts").mkdir()
    (out / "drafts" / "d.tex").write_text("user draft")
    (out / "figures" / "my.png").write_text("user figure")
    publish(_build(tmp_path, {"index.md": "2", "figures/b.png": "b"}, "b2"), out)
    assert _tree(out) == {
        "index.md": b"2",
        "figures/b.png": b"b",
        "figures/my.png": b"user figure",
        "mine.txt": b"user",
        "drafts/d.tex": b"user draft",
        MANIFEST: (out / MANIFEST).read_bytes(),
    }
    assert set(json.loads((out / MANIFEST).read_text())["files"]) == {"index.md", "figures/b.png"}


def test_an_edited_file_of_ours_is_refused_and_kept(tmp_path):
    out = tmp_path / "rep"
    publish(_build(tmp_path, {"index.md": "1"}, "b1"), out)
    (out / "index.md").write_text("my edits")
    with pytest.raises(FolderError, match="'index.md' was changed since qlaci-cost wrote it"):
        check_folder(out)
    with pytest.raises(FolderError, match="index.md"):
        publish(_build(tmp_path, {"index.md": "2"}, "b2"), out)
    assert (out / "index.md").read_text() == "my edits"


def test_a_users_file_with_one_of_our_names_is_refused(tmp_path):
    out = tmp_path / "rep"
    publish(_build(tmp_path, {"index.md": "1"}, "b1"), out)
    (out / "noise.csv").write_text("user table")
    with pytest.raises(FolderError, match="'noise.csv' exists and was not written by qlaci-cost"):
        publish(_build(tmp_path, {"index.md": "2", "noise.csv": "ours"}, "b2"), out)
    assert (out / "noise.csv").read_text() == "user table" and (out / "index.md").read_text() == "1"


def test_a_corrupt_manifest_does_not_make_a_folder_ours(tmp_path):
    out = tmp_path / "rep"
    out.mkdir()
    (out / MANIFEST).write_text('{"kind": "qlaci-cost report manifest", "files": {"../x": "0"}}')
    (out / "paper.tex").write_text("draft")
    with pytest.raises(FolderError, match="no qlaci-cost report"):
        check_folder(out)


def test_a_report_of_an_earlier_version_is_updated_without_removing_anything(tmp_path):
    out = _build(tmp_path, {"index.md": "# qlaci-cost report\n", "qram_table.csv": "x\n",
                            "notes.tex": "user?"}, "legacy")  # fmt: skip
    publish(_build(tmp_path, {"index.md": "# qlaci-cost report v2\n"}, "b2"), out)
    assert (out / "index.md").read_text() == "# qlaci-cost report v2\n"
    assert (out / "notes.tex").read_text() == "user?" and (out / "qram_table.csv").exists()
