"""`python -m citeport`: the same as the `citeport` command."""

import sys

from .cli import main

sys.exit(main())
