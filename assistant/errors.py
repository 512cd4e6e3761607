"""The library's own exceptions. Each message says what went wrong and what to do.

Only the outermost layers (CLI, UI) turn these into messages for people.
"""


class AssistantError(Exception):
    """Base class of every error the library raises on purpose."""


class ConfigError(AssistantError):
    """A setting is missing or invalid."""


class LoadError(AssistantError):
    """A corpus file cannot be read: empty, binary, undecodable, too large or corrupt."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class FactSheetError(AssistantError):
    """A fact sheet is invalid; the message names the field and what it expects."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("事实表有误：\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


class IndexError_(AssistantError):
    """The example index cannot be reached or is inconsistent."""


class FiguresLostError(AssistantError):
    """A revision would drop figures of the section's facts; it is taken only when the user says so."""

    def __init__(self, lost: list[str]) -> None:
        super().__init__("修改稿丢了事实中的数字，没有采用：\n" + "\n".join(f"- {m}" for m in lost)
                         + "\n确实要去掉这些数字，请确认后再接受；否则放弃这份修改稿，换个说法再试。")
        self.lost = lost


class ModelError(AssistantError):
    """The language model cannot be used: see the subclasses."""


class MissingKeyError(ModelError):
    """A remote provider needs an API key that was not given."""


class ServiceUnreachableError(ModelError):
    """The model service did not answer."""


class UnknownModelError(ModelError):
    """The service does not know the requested model."""


class ModelTimeoutError(ModelError):
    """The model took longer than the configured timeout."""


class ModelFileError(ModelError):
    """The bundled model file is missing or corrupt."""


class TemplateError(AssistantError):
    """A prompt template is missing or was rendered without a variable it needs."""
