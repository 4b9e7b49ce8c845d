"""hearing: the courtroom layer: command line now; sessions, roles, the hash-chained record, the store and the
Streamlit app come with issue 5. The only package allowed to open a database session or import Streamlit.
"""

from hearing.cli import main

__all__ = ["main"]
