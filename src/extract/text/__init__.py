"""Text handling below the pipeline: normalization with an offset map, input decoding."""
from .normalize import ContextRule, Normalized, apply_rules, map_chars, normalize, rewrite

__all__ = ["ContextRule", "Normalized", "apply_rules", "map_chars", "normalize", "rewrite"]
