"""``python -m dockermagic.reaper --session ID``: the clean-up watchdog (see ``watchdog``)."""

import sys

from .watchdog import main

sys.exit(main())
