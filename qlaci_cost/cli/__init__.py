"""The `qlaci-cost` command line (`main`): one module per subcommand, shared options in
`qlaci_cost.cli.args`, the parser and registry in `qlaci_cost.cli.main`."""

from qlaci_cost.cli.main import main

__all__ = ["main"]
