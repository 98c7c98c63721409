"""A toy model family, defined in the tests only: one module of bloqs (`model`), one module of
hooks (`family`), registered with one line (`register_family("toy", "tests.toy_family.family")`)
by the `toy_family` fixture. It shows that a family reaches the table command, `verify`, the
claim table and the report through the seam alone."""
