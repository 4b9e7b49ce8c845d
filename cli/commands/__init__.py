"""One module per command group; each registers its commands on the parser (``register``)."""

__all__: list[str] = []
