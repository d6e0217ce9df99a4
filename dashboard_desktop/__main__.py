"""``python -m dashboard_desktop``."""

import sys

from dashboard_desktop.app import main

sys.exit(main())
