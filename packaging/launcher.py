"""The entry script of the PyInstaller bundle (``packaging/dashboard-desktop.spec``).

It does what the ``dashboard-desktop`` gui-script of the wheel does: run
:func:`dashboard_desktop.app.main` and exit with its status.
"""

import sys

from dashboard_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
