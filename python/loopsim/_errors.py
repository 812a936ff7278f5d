"""The exceptions of the loopsim package."""


class LoopsimError(Exception):
    """Base class of loopsim's exceptions."""


class ConfigError(LoopsimError):
    """Bad input with no meaning (the CLI's exit code 2).

    Attributes: ``file``, ``line`` (1-based, 0 when unknown), ``key_path`` (such as
    ``architecture.nodes[3].attributes.depth``) and ``message``; ``str(e)`` is the line the
    CLI prints: ``file:line: key.path: message``.
    """

    def __init__(self, file, line, key_path, message):
        self.file, self.line, self.key_path, self.message = file, line, key_path, message
        super().__init__(self._text())

    def _text(self):
        key = f"{self.key_path}: " if self.key_path else ""
        return f"{self.file}:{self.line}: {key}{self.message}"

    def __str__(self):
        return self._text()

    def __reduce__(self):
        return (type(self), (self.file, self.line, self.key_path, self.message))


class MappingRejected(LoopsimError):
    """A mapping that does not fit the architecture (the CLI's exit code 3).

    Attributes: ``level`` (storage level index, -1 for the arithmetic level or the whole
    mapping), ``level_name``, ``reason`` (capacity, fan-out, instances, min-utilization,
    mapping), ``detail`` and ``message`` (the CLI's text).
    """

    def __init__(self, level, level_name, reason, detail, message):
        self.level, self.level_name, self.reason = level, level_name, reason
        self.detail, self.message = detail, message
        super().__init__(message)


class NoMappingFound(LoopsimError):
    """The mapper found no valid mapping (the CLI's exit code 3); ``interrupted`` tells
    whether the search was stopped before it found one."""

    def __init__(self, message, interrupted=False, evaluated=0):
        self.message, self.interrupted, self.evaluated = message, interrupted, evaluated
        super().__init__(message)
