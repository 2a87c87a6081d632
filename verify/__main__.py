"""``python -m verify``: the same as the ``verify`` console command."""

import sys

from verify.cli import main

sys.exit(main())
