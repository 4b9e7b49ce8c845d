"""cli: the one command-line entry point, ``voirdire``, on top of every layer.

::

    framework       exit codes and the error each answers, the option vocabulary, the JSON envelope
    arguments       argument types checked at the door, the one-line parser, secrets from a terminal
    kinds           the command line's part for each kind of case (options → parameters, default model, views)
    commands/       one module per command group: cases, questions, reports, data, packs, court
    views/          terminal views in zh-CN and English: sentencing, risk, packs, audits, errors

Commands parse and call services; they compute nothing themselves.
"""

from cli.main import main

__all__ = ["main"]
