"""Civility check throughput: sanitize + every rule over 20,000 generated replies (10-300
characters, English, Russian, Armenian, Azerbaijani, some emoji, links, evasions) against a
2,000-term lexicon, beside baselines measured in the same run, interleaved batch by batch so
that a busy machine slows both alike:

* one compiled regex alternation of the same lexicon, matched after NFKC + casefold;
* an Aho-Corasick automaton (pyahocorasick) of the same normalized lexicon;
* (as before) the naive regex alternation with re.I and no normalization.

The baselines only normalize and match (no sanitizing, no rules, no spans): they are the
cheapest thing that could be called a word filter. Their recall on the labelled evaluation set
(tests/data/civility_eval.jsonl) is printed per evasion kind beside the engine's, and the
engine's tables per language, script and evasion kind follow (issue 16). Also the lexicon
recompile time and the worst single check (targets: >= 30,000 messages/s warm, >= 2x the
Aho-Corasick baseline, < 50 ms, < 5 ms)."""

from __future__ import annotations

import gc
import random
import re
import time
import unicodedata
from collections.abc import Callable
from typing import Any

import ahocorasick

from bench import report
from bench.civility_eval import load, render, score, score_matcher
from bot.civility import Category, Engine, Term, compile_lexicon, default_terms
from bot.civility.normalize import _CACHE
from bot.sanitizer import sanitize

MESSAGES = 20_000
TERMS = 2_000

_VOCABULARY = {
    "en": (
        "the war village family my grandfather was we they our peace talk remember "
        "children home after before river mountain school bread neighbour listen story "
        "why because hope together understand never again road church mosque garden"
    ),
    "ru": (
        "война деревня семья мой дед был мы они наш мир разговор помню дети дом после "
        "до река гора школа хлеб сосед слушать история почему потому надежда вместе"
    ),
    "hy": (
        "պատերազմ գյուղ ընտանիք իմ պապը էր մենք նրանք մեր խաղաղություն խոսք հիշում "
        "երեխաներ տուն հետո առաջ գետ լեռ դպրոց հաց հարևան լսել պատմություն ինչու"
    ),
    "az": (
        "müharibə kənd ailə mənim babam idi biz onlar bizim sülh söhbət xatırlayıram "
        "uşaqlar ev sonra əvvəl çay dağ məktəb çörək qonşu dinləmək hekayə niyə ümid"
    ),
}
WORDS = {language: words.split() for language, words in _VOCABULARY.items()}
ALPHABETS = {
    "en": "abcdefghijklmnopqrstuvwxyz",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "hy": "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    "az": "abcçdeəfgğhxıijkqlmnoöprsştuüvyz",
}
EXTRAS = ["🙂", "❤️", "🇦🇲", "🇦🇿", "👍🏽", "https://example.org/a", "<b>note</b>", "s.h.i.t", "cyka"]


def synthetic_terms(rng: random.Random, count: int) -> list[Term]:
    letters = "abcdefghijklmnopqrstuvwxyzабвгдежзиклмнопрстуфхцчшыэюя"
    categories = [Category.PROFANITY, Category.HARASSMENT, Category.SLUR]
    terms = list(default_terms())
    while len(terms) < count:
        words = [
            "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))
            for _ in range(1 if rng.random() < 0.85 else 2)
        ]
        terms.append(Term(" ".join(words), rng.choice(categories), "", "guild"))
    return terms


def messages(rng: random.Random, count: int, terms: list[Term]) -> list[str]:
    out = []
    for _ in range(count):
        language = rng.choice(list(WORDS))
        target = rng.randint(10, 300)
        parts: list[str] = []
        size = 0
        while size < target:
            roll = rng.random()
            # about one reply in eight carries an extra or a listed term: far more than real
            # dialogue, so the slow path (tokens, spans, verdicts) is well exercised
            if roll < 0.002:
                word = rng.choice(EXTRAS)
            elif roll < 0.005:
                word = rng.choice(terms).term
            elif roll < 0.06:  # the long tail: names, typos, rare words never seen before
                word = "".join(rng.choice(ALPHABETS[language]) for _ in range(rng.randint(3, 10)))
            else:
                word = rng.choice(WORDS[language])
            if rng.random() < 0.08:
                word = word.capitalize() + rng.choice([".", ",", "!", "?"])
            parts.append(word)
            size += len(word) + 1
        out.append(" ".join(parts)[:target])
    return out


def _best_of(runs: int, engine: Engine, text: str, *, cold: bool = False) -> float:
    best = float("inf")
    for _ in range(runs):
        if cold:
            _CACHE.clear()
            engine.lexicon._memo.clear()
            engine.lexicon._clean.clear()
            engine.lexicon._clean_chunks.clear()
        t0 = time.perf_counter()
        engine.check(sanitize(text))
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    rng = random.Random(2026)
    terms = synthetic_terms(rng, TERMS)
    corpus = messages(rng, MESSAGES, terms)
    long_replies = [" ".join(corpus[i : i + 12])[:1500] for i in range(0, 1200, 12)]

    started = time.perf_counter()
    compile_lexicon(terms)
    first_compile_ms = (time.perf_counter() - started) * 1000
    terms[-1] = Term("zzqqxx", Category.PROFANITY, "", "guild")  # a moderator changes a term
    started = time.perf_counter()
    compile_lexicon(terms)
    recompile_ms = (time.perf_counter() - started) * 1000
    engine = Engine(terms)
    # As the bot does at the end of its startup (app/startup.py): long-lived objects leave
    # the collector's generations, so a full collection no longer walks them.
    gc.collect()
    gc.freeze()

    pauses: list[float] = []
    gc_started = [0.0]

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            pauses.append(time.perf_counter() - gc_started[0])

    gc.callbacks.append(on_gc)
    _CACHE.clear()
    worst = 0.0
    started = time.perf_counter()
    for text in corpus:
        t0 = time.perf_counter()
        engine.check(sanitize(text))
        worst = max(worst, time.perf_counter() - t0)
    cold_rate = len(corpus) / (time.perf_counter() - started)

    started = time.perf_counter()
    cpu_started = time.process_time()
    flagged = 0
    for text in corpus:
        flagged += bool(engine.check(sanitize(text)).verdicts)
    rate = len(corpus) / (time.perf_counter() - started)
    # On a machine shared with other work the wall clock counts their time too; the process's
    # CPU time counts only this one.
    cpu_rate = len(corpus) / (time.process_time() - cpu_started)

    # The worst single check, free of scheduler and GC noise: each reply's time is the best
    # of three runs. Cold replies are 1,500 characters of words never seen before, with every
    # cache emptied before each run: the costliest reply there is.
    worst_warm = max(_best_of(3, engine, text) for text in [*corpus[:2000], *long_replies])
    unseen = [
        " ".join(
            "".join(rng.choice(ALPHABETS[lang]) for _ in range(rng.randint(3, 10)))
            for _ in range(300)
        )[:1500]
        for lang in ALPHABETS
        for _ in range(3)
    ]
    worst_cold = max(_best_of(3, engine, text, cold=True) for text in unseen)

    gc.callbacks.remove(on_gc)
    naive = re.compile(
        "|".join(sorted((re.escape(t.term) for t in terms), key=len, reverse=True)), re.I
    )
    sample = corpus[:2000]  # the naive regex is slow; a tenth of the corpus is plenty
    started = time.perf_counter()
    naive_flagged = 0
    for text in sample:
        naive_flagged += bool(naive.findall(text))
    naive_rate = len(sample) / (time.perf_counter() - started)
    flagged_sample = sum(bool(engine.check(sanitize(t)).verdicts) for t in sample)

    regex_match, automaton_match = baselines(terms)
    # The cold measurement above emptied every cache; the comparison is of the warm check
    # (as the 30,000 msg/s target is), so the engine reads the corpus once more first.
    for text in corpus:
        engine.check(sanitize(text))
    # Interleaved, batch by batch: the engine (sanitize + every rule), then each baseline.
    spent = {"engine": 0.0, "regex": 0.0, "aho": 0.0, "aho+sanitize": 0.0}
    runs: dict[str, Callable[[str], object]] = {
        "engine": lambda text: engine.check(sanitize(text)),
        "regex": regex_match,
        "aho": automaton_match,
        "aho+sanitize": lambda text: automaton_match(sanitize(text)),
    }
    regex_sample = corpus[:4000]  # a 2,000-way alternation is slow; 4,000 replies suffice
    for batch in range(0, len(corpus), 1000):
        for name, run in runs.items():
            texts = corpus[batch : batch + 1000]
            if name == "regex" and batch >= len(regex_sample):
                continue
            t0 = time.perf_counter()
            for text in texts:
                run(text)
            spent[name] += time.perf_counter() - t0
    engine_rate = len(corpus) / spent["engine"]
    regex_rate = len(regex_sample) / spent["regex"]
    aho_rate = len(corpus) / spent["aho"]
    aho_sanitize_rate = len(corpus) / spent["aho+sanitize"]

    report("full check, warm token cache", rate, "msg/s", naive_rate, "regex alternation, re.I")
    print(f"  (the same pass per CPU-second of this process: {cpu_rate:,.0f} msg; target 30,000)")
    report("full check, first pass (cold)", cold_rate, "msg/s", naive_rate, "regex alternation")
    report(
        "full check, interleaved, warm", engine_rate, "msg/s", regex_rate,
        "one regex of the lexicon after NFKC+casefold",
    )  # fmt: skip
    report(
        "full check, interleaved, warm", engine_rate, "msg/s", aho_rate,
        "Aho-Corasick of the lexicon after NFKC+casefold (target ratio >= 2x)",
    )  # fmt: skip
    report(
        "full check, interleaved, warm", engine_rate, "msg/s", aho_sanitize_rate,
        "the same Aho-Corasick after sanitize, as the engine's input is",
    )  # fmt: skip
    print(
        f"  lexicon recompile ({len(terms)} terms) after a change: {recompile_ms:.1f} ms "
        f"(target < 50 ms); first compile in the process: {first_compile_ms:.1f} ms"
    )
    print(
        f"  worst single check (best of 3): {worst_warm * 1000:.2f} ms; 1,500 characters of "
        f"unseen words, caches empty: {worst_cold * 1000:.2f} ms (target < 5 ms)"
    )
    print(f"  worst single check as timed in the throughput pass: {worst * 1000:.2f} ms")
    print(
        f"  (garbage collections during the checks: {len(pauses)}, longest "
        f"{max(pauses, default=0) * 1000:.2f} ms; a pause lands inside whichever call is running)"
    )
    print(f"  flagged: {flagged} of {len(corpus)}; in the first {len(sample)}: {flagged_sample}")
    print(f"  (naive regex, substring matches and no evasions seen: {naive_flagged})")
    evaluation(engine)


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def baselines(terms: list[Term]) -> tuple[Callable[[str], bool], Callable[[str], bool]]:
    """The two baselines over the same lexicon, normalized the same way (NFKC + casefold):
    a compiled regex alternation and an Aho-Corasick automaton. Both match substrings."""
    keys = sorted({_normalize(t.term) for t in terms if t.term.strip()}, key=len, reverse=True)
    alternation = re.compile("|".join(re.escape(k) for k in keys))
    automaton = ahocorasick.Automaton()
    for index, key in enumerate(keys):
        automaton.add_word(key, index)
    automaton.make_automaton()

    def regex_match(text: str) -> bool:
        return bool(alternation.findall(_normalize(text)))

    def automaton_match(text: str) -> bool:
        return bool(list(automaton.iter(_normalize(text))))

    return regex_match, automaton_match


def evaluation(engine: Engine) -> None:
    """Recall and false flags on the labelled set: the engine per language, script and
    evasion kind; the baselines (over the default lexicon) per evasion kind beside it."""
    rows = load()
    default = Engine(default_terms())
    report_ = score(default, rows)
    regex_match, automaton_match = baselines(list(default_terms()))
    regex_recall = score_matcher(regex_match, rows)
    aho_recall = score_matcher(automaton_match, rows)
    print("  evaluation set (tests/data/civility_eval.jsonl), default lexicon:")
    print("    evasion kind          engine   regex(NFKC)  Aho-Corasick      n")
    for kind in sorted(regex_recall):
        ours = report_.recall[f"evasion {kind}"]
        print(
            f"    {kind:20}{ours.rate:9.1%}{regex_recall[kind].rate:12.1%}"
            f"{aho_recall[kind].rate:14.1%}{ours.total:7d}"
        )
    print(render(report_))
    del engine


if __name__ == "__main__":
    main()
