"""`verify --checks superposition` reaches N = 2^10 (sparse simulation); other checks stop at
`MAX_VERIFY_N`."""

from qlaci_cost import cli
from qlaci_cost.cli.verify import MAX_SPARSE_VERIFY_N, MAX_VERIFY_N


def test_superposition_alone_allows_larger_n(capsys):
    n = 2 * MAX_VERIFY_N
    assert cli.main(["verify", "--n", str(n), "--checks", "classical"]) == 2
    assert f"N must be <= {MAX_VERIFY_N}" in capsys.readouterr().err
    assert cli.main(["verify", "--n", str(2 * MAX_SPARSE_VERIFY_N), "--checks", "superposition"])
    assert f"N must be <= {MAX_SPARSE_VERIFY_N}" in capsys.readouterr().err


def test_superposition_beyond_state_vectors_passes(capsys):
    argv = ["verify", "--n", "32", "--models", "qrom,select-swap", "--checks", "superposition"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert out.count("PASS superposition") == 2 and "sparse" in out
