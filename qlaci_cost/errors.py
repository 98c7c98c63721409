"""`InputError`: the one exception type for bad input, raised at the edge by the API and the CLI.

Its message names the argument, the value given and what is allowed, in one line; the CLI prints
it as `qlaci-cost: error: <message>` with exit status 2. It subclasses `ValueError`, so code
catching `ValueError` keeps working; `GridError`, `QRAMSizeError` and `UnknownModelError` are
its subclasses.
"""

__all__ = ["InputError", "describe_value"]


class InputError(ValueError):
    """Bad input: the message names the argument, the value given and what is allowed."""


def describe_value(value: object, limit: int = 60) -> str:
    """`repr(value)` cut to `limit` characters (a huge grid or integer stays one short line)."""
    try:
        text = repr(value)
    except Exception:  # a value whose repr fails is still named by its type
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
