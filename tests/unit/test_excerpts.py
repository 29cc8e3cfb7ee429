from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.dialogue.excerpts import MAX_EXCERPT, split_excerpts


def test_short_heading_joins_the_next_paragraph() -> None:
    text = "A Heading\n\n" + "Body sentence goes here. " * 20
    (excerpt,) = split_excerpts(text)
    assert excerpt.startswith("A Heading\n\n")


def test_long_paragraph_splits_at_sentence_ends() -> None:
    text = " ".join(f"Sentence number {i} ends here." for i in range(200))
    excerpts = split_excerpts(text)
    assert len(excerpts) > 1
    assert all(len(e) <= MAX_EXCERPT for e in excerpts)
    assert all(e.endswith(".") for e in excerpts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=3000), min_size=1, max_size=8))
def test_every_excerpt_fits_and_no_word_is_lost(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    excerpts = split_excerpts(text)
    assert all(0 < len(e) <= MAX_EXCERPT for e in excerpts)
    assert "".join("".join(e.split()) for e in excerpts) == "".join(
        "".join(p.split()) for p in split_excerpts(text)
    )
