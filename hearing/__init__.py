"""hearing: the court. The store (SQLModel; SQLite or PostgreSQL), the service every user goes through (roles,
the hash-chained record, rulings, sealing keys, the docket), the citation policy of each kind of case, the
deviation monitor, the demo court, and the Streamlit app. The command line is ``cli``, above this package.
The only package below ``cli`` allowed to open a database session or import Streamlit.
"""

from hearing.service import HearingService, court_registry

__all__ = ["HearingService", "court_registry"]
