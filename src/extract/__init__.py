"""extract: dated events, amounts and actors from raw Persian and Arabic text.

    from extract import Pipeline
    doc = Pipeline("fa").process(text, reference_date="2024-01-01")
"""
from .document import Document
from .errors import ExtractError

__all__ = ["Document", "ExtractError", "Pipeline"]


def __getattr__(name: str):
    # Pipeline pulls in spaCy and the language stages: import it only when asked for.
    if name == "Pipeline":
        from .pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)
