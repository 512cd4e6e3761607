"""党建文稿助手: draft party-building work summaries from a fact sheet, offline first."""

__version__ = "0.1.0"
