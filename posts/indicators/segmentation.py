"""Which topics a text is on: jieba cuts the text into words (accurate mode, no HMM), with every term of
the topic dictionary added to jieba's dictionary so that it is cut whole; the text is on a topic when
one of its words is, or contains, one of the topic's terms. 道路况且 is 道路/况且, so it is not on 路况;
旅游景点 is one word of jieba's, which contains 旅游, so it is on 文旅推介.

Why no HMM: the HMM only merges runs of single characters that are not in the dictionary into new
words; every term is in the dictionary, so it can only cut a term that the dictionary already cuts, and
it is slower. Why terms are added shortest first with jieba's suggest_freq: each term then outweighs
every way of cutting it into smaller words (shorter terms included), so a term stands whole wherever no
dictionary word crosses its edges.

Speed, with the same answer: jieba is about 230,000 characters a second here, too slow for 6.5 million
posts. So only the places where a term occurs are looked at (one regular expression over all terms),
and an occurrence is handed to jieba only when a dictionary word crosses one of its edges (a word that
starts before it and ends inside or after it, or starts inside it and ends after it), which is the only
way jieba could cut it differently: with no such word, every cut of the text passes through both edges
and the term outweighs every cut between them (a term found whole also brings the terms inside it:
便民服务 holds 便民). Then jieba cuts just the occurrence's block (the run of
characters jieba cuts on its own, between punctuation or spaces), which is what it would do inside the
whole text. tests/posts/indicators/test_segmentation.py checks the shortcut against jieba on every text.
"""
from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable

import jieba
import numpy as np

from posts.indicators.topics import TopicDictionary

# jieba cuts a text block by block: runs of these characters (jieba.re_han_default), the rest apart.
BLOCK = jieba.re_han_default
CACHE_SIZE = 200_000  # blocks and words remembered; cleared when full (bounded memory)


class TopicMatcher:
    """Topic bit masks of texts for one dictionary (bit i: the dictionary's i-th topic)."""

    def __init__(self, dictionary: TopicDictionary) -> None:
        logging.getLogger("jieba").setLevel(logging.WARNING)  # no "Building prefix dict" on stderr
        self.masks_by_term = dictionary.term_masks()
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        for term in sorted(self.masks_by_term, key=lambda term: (len(term), term)):
            self.tokenizer.suggest_freq(term, tune=True)
        self.freq: dict[str, int] = self.tokenizer.FREQ
        words = [word for word, count in self.freq.items() if count and len(word) > 1]
        self.longest = max(len(word) for word in words)
        # Every two adjacent characters inside a word (300,000 pairs, 30 MB): see _cut_whole.
        self.pairs = frozenset(word[i:i + 2] for word in words for i in range(len(word) - 1))
        # Longest first, so that at one place the longer term is the one found.
        ordered = sorted(self.masks_by_term, key=lambda term: (-len(term), term))
        self.pattern = re.compile("|".join(re.escape(term) for term in ordered))
        self._blocks: dict[str, int] = {}
        self._words: dict[str, int] = {}

    def text_mask(self, text: str) -> int:
        """The topics of one text, as a bit mask."""
        mask = 0
        unsure: list[int] = []
        for match in self.pattern.finditer(text):
            start, end = match.span()
            if self._cut_whole(text, start, end):
                mask |= self._inside(match.group())
            else:
                unsure.append(start)
        if unsure:
            for block in BLOCK.finditer(text):
                if any(block.start() <= start < block.end() for start in unsure):
                    mask |= self._block_mask(block.group())
        return mask

    def masks(self, texts: Iterable[str]) -> np.ndarray:
        """text_mask of every text, as int64 (a missing text, None or NaN, is on no topic)."""
        return np.fromiter((self.text_mask(text) if isinstance(text, str) else 0 for text in texts),
                           dtype=np.int64)

    def jieba_mask(self, text: str) -> int:
        """The same answer as text_mask, straight from jieba's cut of the whole text (slow; for checks)."""
        mask = 0
        for word in self.tokenizer.cut(text, HMM=False):
            if len(word) > 1:
                mask |= self._inside(word)
        return mask

    def _inside(self, word: str) -> int:
        """The topics of every term that `word` is or contains (each of its substrings looked up)."""
        mask = self._words.get(word)
        if mask is None:
            terms = self.masks_by_term
            mask = 0
            for first in range(len(word) - 1):
                for stop in range(first + 2, len(word) + 1):
                    mask |= terms.get(word[first:stop], 0)
            if len(self._words) >= CACHE_SIZE:
                self._words.clear()
            self._words[word] = mask
        return mask

    def _cut_whole(self, text: str, start: int, end: int) -> bool:
        """True when no dictionary word (count > 0) crosses the edge at `start` or at `end` of the term at
        text[start:end]. A word crossing an edge holds the two characters on either side of it, so an
        edge whose pair is in no word is passed at once (three times in four here); a word that starts
        before `start` and crosses `end` crosses `start` too."""
        pairs = self.pairs
        if start > 0 and text[start - 1:start + 1] in pairs and self._crossed(
                text, range(max(0, start - self.longest + 1), start), start):
            return False
        return not (end < len(text) and text[end - 1:end + 1] in pairs
                    and self._crossed(text, range(start, end), end))

    def _crossed(self, text: str, firsts: range, edge: int) -> bool:
        """True when a dictionary word starting at one of `firsts` ends after `edge`. jieba's dictionary
        holds every prefix of its words (count 0 when not a word itself), so a word text[k:j] with
        j > edge exists only if text[k:edge + 1] is in it: one look-up rules most starting points out."""
        freq, size = self.freq, len(text)
        for first in firsts:
            stop = edge + 1
            while stop <= size and text[first:stop] in freq:
                if freq[text[first:stop]]:
                    return True
                stop += 1
        return False

    def _block_mask(self, block: str) -> int:
        mask = self._blocks.get(block)
        if mask is None:
            if len(self._blocks) >= CACHE_SIZE:
                self._blocks.clear()
            mask = self._blocks[block] = self.jieba_mask(block)
        return mask


@functools.lru_cache(maxsize=4)
def topic_matcher(dictionary: TopicDictionary) -> TopicMatcher:
    """The matcher of a dictionary, built once per process (jieba's dictionary takes about a second to
    load and 100 MB)."""
    return TopicMatcher(dictionary)
