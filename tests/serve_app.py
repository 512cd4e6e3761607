"""`python -m tests.serve_app ARGS…`: `streamlit run ARGS…` with the scripted model registered as a provider.

Streamlit runs the app in this process, so the `scripted` provider registered here is the one
`ASSISTANT_PROVIDER=scripted` selects, exactly as a real provider would be.
"""

from __future__ import annotations

import sys

from streamlit.web import cli

from tests import fake_model

if __name__ == "__main__":
    fake_model.install()
    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(cli.main())
