"""One root exception and a short tree; stable error codes live here.

Error codes are part of the wire contract: they appear on dead-letter records
and in CLI messages, so never rename one, only add.
"""

from __future__ import annotations


class WirewatchError(Exception):
    """Root of every error wirewatch raises on purpose.

    The CLI prints ``str(error)`` as one line and exits with ``exit_code``.
    """

    code: str = "WW000"
    exit_code: int = 1

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class ConfigError(WirewatchError):
    """Settings or a config file are invalid."""

    code = "WW100"
    exit_code = 2


class BrokerError(WirewatchError):
    """The local Kafka broker could not be started, stopped or reached."""

    code = "WW200"


class InputError(WirewatchError):
    """An input record or file could not be read or validated."""

    code = "WW300"


class ModelError(WirewatchError):
    """The spaCy model or a codebook could not be loaded."""

    code = "WW400"


class CodebookMissingError(ModelError):
    """The third-party codebook (``wirewatch codebook install``) is not installed, or lacks a file."""

    code = "WW410"


class CodebookInstallError(WirewatchError):
    """``wirewatch codebook install`` could not fetch, copy or verify a file."""

    code = "WW420"


# Stable codes for dead-letter records (stage-independent).
DL_UNDECODABLE = "DL001"  # bytes are not UTF-8 / not JSON
DL_INVALID = "DL002"  # JSON does not validate against the input schema
DL_PROCESSING = "DL003"  # the pipeline raised on a valid record
DL_OVERSIZED = "DL004"  # record exceeds the configured size cap
DL_TOO_MANY_EVENTS = "DL005"  # a valid record coded into more events than one article may hold
DL_EMIT = "DL006"  # a coded record whose outputs could not be written (e.g. one larger than the broker takes)
