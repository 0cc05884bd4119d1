"""Build src/proscribe/payments/ordinary_words.txt: the ordinary words of nine languages, in the
token space of list names, for the common-word rule of free-text screening.

A word is kept for a language when it is frequent there (Zipf frequency >= 3.0 in wordfreq 3.1.1,
about once in a million words) **and** that language's Hunspell spelling dictionary accepts it
written in lower case, as a common word is written. Frequency alone would take in the proper
names the news repeats (Hamas, Huawei, Gazprom, Wagner); the dictionary check leaves most of them
out, and a word that two dictionaries know only capitalised (a proper name) is dropped for every
language. German writes its nouns capitalised and its dictionary holds proper names the same way,
so German nouns count only where German writes them in lower case or another language has them.
Words are normalised with :func:`proscribe.text.names.normalise_text` (Cyrillic transliterated)
and kept when they are one token of at least five characters (shorter single words are never
scanned for alone).

Needs wordfreq 3.1.1 (``pip install --target /tmp/wfpkg wordfreq==3.1.1``), the ``hunspell``
command and Debian's hunspell-en-us, -it, -es, -fr, -de-de, -nl, -pt-pt, -ru, -tr:

    PYTHONPATH=/tmp/wfpkg:src .venv/bin/python bench/mine_ordinary_words.py
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from wordfreq import top_n_list, zipf_frequency

from proscribe.text.names import normalise_text

OUT = Path(__file__).resolve().parents[1] / "src" / "proscribe" / "payments" / "ordinary_words.txt"
DICTIONARIES = {
    "en": "en_US",
    "it": "it_IT",
    "es": "es_ES",
    "fr": "fr_FR",
    "de": "de_DE",
    "nl": "nl_NL",
    "pt": "pt_PT",
    "ru": "ru_RU",
    "tr": "tr_TR",
}
MIN_ZIPF = 3.0
MIN_CHARS = 5
#: A word this many dictionaries (German's aside) know only capitalised is a proper name, even where
#: another writes it in lower case (Dutch ``hamas``, ``taliban``); one is not enough, as English
#: capitalises its months and days.
PROPER_DICTIONARIES = 2
TOP = 80_000


def accepted(dictionary: str, words: list[str]) -> set[str]:
    """The words Hunspell's ``dictionary`` spells as given (case kept)."""
    done = subprocess.run(
        ["hunspell", "-i", "utf-8", "-d", dictionary, "-G"],
        input="\n".join(words),
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


def frequent(lang: str) -> list[str]:
    return [w for w in top_n_list(lang, TOP) if w.isalpha() and zipf_frequency(w, lang) >= MIN_ZIPF]


def main() -> None:
    ordinary: dict[str, set[str]] = {}  # normalised word -> languages
    proper: dict[str, int] = {}  # normalised word -> dictionaries that know it only capitalised
    for lang, dictionary in DICTIONARIES.items():
        words = frequent(lang)
        lower = accepted(dictionary, words)
        capitals = [w[:1].upper() + w[1:] for w in words]
        capital = {w.lower() for w in accepted(dictionary, capitals)}
        common = lower
        if lang != "de":
            for word in capital - lower:
                proper[normalise_text(word)] = proper.get(normalise_text(word), 0) + 1
        for word in common:
            token = normalise_text(word)
            if len(token) >= MIN_CHARS and " " not in token:
                ordinary.setdefault(token, set()).add(lang)
        print(lang, len(words), "frequent,", len(common), "in the dictionary")
    dropped = {w for w in ordinary if proper.get(w, 0) >= PROPER_DICTIONARIES}
    lines = [
        "# Ordinary words of nine languages, in the token space of proscribe.text.names.normalise_text,",
        "# each with the languages it is an ordinary word of. Made by bench/mine_ordinary_words.py from",
        f"# wordfreq 3.1.1 word frequencies (Zipf >= {MIN_ZIPF}; data CC BY-SA 4.0, Robyn Speer and",
        "# contributors) checked against Debian's Hunspell dictionaries (en_US, it_IT, es_ES, fr_FR,",
        "# de_DE, nl_NL, pt_PT, ru_RU, tr_TR; each under its own free licence, see /usr/share/doc/hunspell-*).",
        "# A word written in lower case by one of the dictionaries is kept; a word",
        f"# {PROPER_DICTIONARIES} dictionaries know only as a proper name is not. Regenerate with the script; do not",
        "# edit by hand.",
    ]
    lines += [f"{word} {','.join(sorted(ordinary[word]))}" for word in sorted(set(ordinary) - dropped)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(len(ordinary) - len(dropped), "words written,", len(dropped), "proper names dropped")


if __name__ == "__main__":
    main()
