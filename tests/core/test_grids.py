"""Size grids and name lists: every accepted form, every rejected form and its message."""

import pytest

from qlaci_cost.core.grids import MAX_SIZES, GridError, parse_names, parse_sizes

# (grid, expected sizes): expected values written out by hand, not computed by the parser.
ACCEPTED = [
    ("16", [16]),
    ("1", [1]),
    ("1000", [1000]),
    ("016", [16]),  # leading zeros are still the integer 16
    ("2^20", [1048576]),
    ("2**20", [1048576]),
    ("2 ^ 10", [1024]),
    ("10^3", [1000]),  # any base >= 1
    ("1^7", [1]),
    ("16,1024,2^20", [16, 1024, 1048576]),
    (" 16 , 32 ", [16, 32]),
    ("2^4..2^8", [16, 32, 64, 128, 256]),
    ("2**4..2**6", [16, 32, 64]),
    ("16..1024", [16, 32, 64, 128, 256, 512, 1024]),
    ("16..1000", [16, 32, 64, 128, 256, 512]),  # doubling while <= the end
    ("3..100", [3, 6, 12, 24, 48, 96]),  # start need not be a power of two
    ("1..8", [1, 2, 4, 8]),
    ("2^5..2^5", [32]),
    ("16,16,32", [16, 32]),  # duplicates dropped, order kept
    ("64,16", [64, 16]),
    ("2^4..2^6,2^5,1000", [16, 32, 64, 1000]),
]


@pytest.mark.parametrize("text, expected", ACCEPTED)
def test_accepted(text, expected):
    assert parse_sizes(text) == expected


def test_huge_powers_are_exact_ints():
    (v,) = parse_sizes("2^200")
    assert type(v) is int and v == 1606938044258990275541962092341162602522202993782792835301376
    (v,) = parse_sizes("2^64")
    assert v == 18446744073709551616
    assert parse_sizes("2^1024") == [1 << 1024]


def test_full_range_2_4_to_2_40():
    sizes = parse_sizes("2^4..2^40")
    assert len(sizes) == 37
    assert sizes[0] == 16 and sizes[-1] == 1 << 40
    assert all(b == 2 * a for a, b in zip(sizes, sizes[1:]))


def test_range_of_1000_sizes_is_allowed():
    assert len(parse_sizes("1..2^999")) == MAX_SIZES


# (grid, the value the message must quote, a phrase saying what is allowed)
REJECTED = [
    ("3.5", "'3.5'", "integers >= 1"),
    ("0", "'0'", "integers >= 1"),
    ("-4", "'-4'", "integers >= 1"),
    ("1e6", "'1e6'", "integers >= 1"),
    ("sixteen", "'sixteen'", "integers >= 1"),
    ("0x10", "'0x10'", "integers >= 1"),
    ("1_000", "'1_000'", "integers >= 1"),
    ("2^", "'2^'", "powers like 2^20"),
    ("^4", "'^4'", "powers like 2^20"),
    ("2^-3", "'2^-3'", "powers like 2^20"),
    ("2^3.5", "'2^3.5'", "powers like 2^20"),
    ("0^3", "'0^3'", "base of a power must be >= 1"),
    ("0^0", "'0^0'", "base of a power must be >= 1"),
    ("", "''", "empty"),
    ("   ", "'   '", "empty"),
    ("16,,32", "'16,,32'", "empty item"),
    ("16,", "'16,'", "empty item"),
    (",16", "',16'", "empty item"),
    ("2^10..2^4", "'2^10..2^4'", "from the smaller size to the larger"),
    ("2^4..", "'2^4..'", "two sizes joined by '..'"),
    ("..2^4", "'..2^4'", "two sizes joined by '..'"),
    ("2^4...2^8", "'2^4...2^8'", "two sizes joined by '..'"),
    ("2^4..2^8..2^10", "'2^4..2^8..2^10'", "two sizes joined by '..'"),
    ("0..16", "'0..16'", "integers >= 1"),
    ("2^4..x", "'2^4..x'", "integers >= 1"),
    ("1..2^1024", "'1..2^1024'", "at most 1000"),
    ("2^2000", "'2^2000'", "at most 2^1024"),
    ("3^700", "'3^700'", "at most 2^1024"),
    ("9" * 500, "9999", "integers >= 1"),
]


@pytest.mark.parametrize("text, quoted, allowed", REJECTED)
def test_rejected(text, quoted, allowed):
    with pytest.raises(GridError) as info:
        parse_sizes(text, "--n")
    message = str(info.value)
    assert message.startswith("--n: ")
    assert quoted in message
    assert allowed in message
    assert "\n" not in message


def test_grid_error_is_value_error():
    with pytest.raises(ValueError):
        parse_sizes("3.5")


def test_too_many_sizes_over_several_items():
    items = ",".join(f"1..2^{k}" for k in range(0, 60))
    text = items + "," + ",".join(str(3 * 2**k) for k in range(990))
    with pytest.raises(GridError, match="more than 1000 sizes"):
        parse_sizes(text)


MODELS = ("bucket-brigade", "fanout", "ideal")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ideal", ["ideal"]),
        ("fanout, ideal", ["fanout", "ideal"]),
        ("ideal,ideal", ["ideal"]),
        ("all", list(MODELS)),
        ("ideal,all", ["ideal", "bucket-brigade", "fanout"]),
    ],
)
def test_names_accepted(text, expected):
    assert parse_names(text, MODELS, "--models") == expected


@pytest.mark.parametrize(
    "text, quoted",
    [("qrom9", "'qrom9'"), ("ideal,Ideal", "'Ideal'"), ("", "empty"), ("ideal,", "empty item")],
)
def test_names_rejected(text, quoted):
    with pytest.raises(GridError) as info:
        parse_names(text, MODELS, "--models")
    message = str(info.value)
    assert message.startswith("--models: ")
    assert quoted in message
    assert "bucket-brigade, fanout, ideal" in message
