"""`python -m qlaci_cost.cli`: the qlaci-cost command."""

import sys

from qlaci_cost.cli import main

sys.exit(main())
