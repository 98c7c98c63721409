"""Output folders and files: nothing a user wrote is deleted or overwritten; writes are atomic."""

import json
import os
import stat
from pathlib import Path

import pytest

from qlaci_cost.core.atomic import atomic_write
from qlaci_cost.output import files
from qlaci_cost.output.files import MANIFEST, FolderError, check_folder, move_in, publish


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


def test_move_in_renames_a_new_folder_and_moves_files_into_an_existing_one(tmp_path):
    """Without a manifest (a folder of figures): a new folder is the finished one renamed, with
    the umask's mode; in an existing folder each file replaces its namesake keeping that file's
    mode, and nothing else there is touched."""
    old = os.umask(0o022)
    try:
        build = _build(tmp_path, {"a.png": "new a", "b.png": "new b"})
        os.chmod(build, 0o700)  # what mkdtemp gives
        move_in(build, tmp_path / "new", ["a.png", "b.png"])
        assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o755
        assert _tree(tmp_path / "new") == {"a.png": b"new a", "b.png": b"new b"}
        out = _build(tmp_path, {"a.png": "old a", "mine.txt": "keep"}, name="out")
        os.chmod(out / "a.png", 0o444)
        build = _build(tmp_path, {"a.png": "newer a", "b.png": "newer b"}, name="build2")
        move_in(build, out, ["a.png", "b.png"])
    finally:
        os.umask(old)
    assert _tree(out) == {"a.png": b"newer a", "b.png": b"newer b", "mine.txt": b"keep"}
    assert stat.S_IMODE((out / "a.png").stat().st_mode) == 0o444 and not build.exists()


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


def _state(folder: Path) -> dict[str, tuple]:
    """Every entry under `folder`: a file's SHA-256 and mode, a folder's mode, a link's target."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        if p.is_symlink():
            out[str(p.relative_to(folder))] = ("link", os.readlink(p))
        elif p.is_dir():
            out[str(p.relative_to(folder))] = ("dir", stat.S_IMODE(st.st_mode))
        else:
            out[str(p.relative_to(folder))] = (files.file_hash(p), stat.S_IMODE(st.st_mode))
    return out


def test_a_report_of_an_earlier_version_is_refused_and_untouched(tmp_path):
    """Without a manifest nobody can tell our file from the user's edit of it: refused, even
    when it looks like a report this toolkit wrote before the manifest existed."""
    out = _build(tmp_path, {"index.md": "# qlaci-cost report\n", "qram_table.csv": "edited\n",
                            "notes.tex": "user?"}, "legacy")  # fmt: skip
    before = _state(out)
    with pytest.raises(FolderError, match="no qlaci-cost report.*earlier version") as info:
        publish(_build(tmp_path, {"index.md": "# qlaci-cost report v2\n"}, "b2"), out)
    assert "\n" not in str(info.value)
    assert _state(out) == before


def test_a_read_only_file_of_ours_keeps_its_mode(tmp_path):
    """The mode is the user's, the content ours: a rerun replaces the bytes and keeps 0o444
    (checked by the mode, so it holds as root, who may write anything)."""
    out = tmp_path / "rep"
    publish(_build(tmp_path, {"index.md": "1", "a.csv": "x", "figures/f.png": "p"}, "b1"), out)
    os.chmod(out / "a.csv", 0o444)
    os.chmod(out / "figures" / "f.png", 0o600)
    publish(_build(tmp_path, {"index.md": "2", "a.csv": "y", "figures/f.png": "q"}, "b2"), out)
    assert (out / "a.csv").read_text() == "y" and (out / "figures/f.png").read_text() == "q"
    assert stat.S_IMODE((out / "a.csv").stat().st_mode) == 0o444
    assert stat.S_IMODE((out / "figures" / "f.png").stat().st_mode) == 0o600


def test_a_users_file_of_one_of_our_names_is_refused_before_the_run(tmp_path):
    """`check_folder(out, names=...)` is what a run calls before any work."""
    out = tmp_path / "rep"
    publish(_build(tmp_path, {"index.md": "1"}, "b1"), out)
    (out / "noise.csv").write_text("user table")
    (out / "figures").write_text("a file where our folder goes")
    before = _state(out)
    ours = {"index.md": [files.file_hash(out / "index.md")]}
    assert check_folder(out, names=["index.md", "claims.csv"]) == ours
    with pytest.raises(FolderError, match="'noise.csv' exists and was not written by"):
        check_folder(out, names=["index.md", "noise.csv"])
    with pytest.raises(FolderError, match="a file blocks the folder of 'figures/x.png'"):
        check_folder(out, names=["figures/x.png"])
    assert _state(out) == before


@pytest.mark.parametrize("text", ["", " ", "-"])
def test_out_texts_that_name_no_folder_are_refused(tmp_path, monkeypatch, text):
    """'' was the current folder (Path('') == Path('.')), '-' a folder named '-'."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FolderError, match=f"--out {text!r} is not allowed"):
        check_folder(text)
    with pytest.raises(FolderError):
        publish(_build(tmp_path, {"index.md": "1"}), text)
    assert os.listdir(tmp_path) == ["build"]
    assert check_folder("./-") == {}  # the way to name a folder called '-'


def test_a_symlink_to_nothing_is_refused_and_left_alone(tmp_path):
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "missing")
    with pytest.raises(FolderError, match="symlink to .*missing.*which does not exist"):
        check_folder(link)
    with pytest.raises(FolderError, match="symlink"):
        publish(_build(tmp_path, {"index.md": "1"}), link)
    assert link.is_symlink() and not (tmp_path / "missing").exists()
    (tmp_path / "missing").mkdir()  # a symlink to a folder is that folder
    publish(_build(tmp_path, {"index.md": "1"}, "b2"), link)
    assert (tmp_path / "missing" / "index.md").read_text() == "1" and link.is_symlink()


def test_folder_errors_are_input_errors():
    from qlaci_cost import InputError

    assert issubclass(FolderError, InputError)
