"""Entropy weights (熵权法) on a textbook example worked by hand."""
from __future__ import annotations

import math

import pandas as pd

from rankings.scoring.weights import entropy_weights


def test_entropy_weights_of_a_textbook_example():
    # Three accounts, two indicators; n = 3, ln 3 = 1.098612.
    # a = 1, 1, 2 (sum 4): p = 1/4, 1/4, 1/2
    #   -sum p ln p = 2 * (1/4) ln 4 + (1/2) ln 2 = 0.693147 + 0.346574 = 1.039721
    #   e_a = 1.039721 / 1.098612 = 0.946395, d_a = 0.053605
    # b = 0, 1, 3 (sum 4): p = 0, 1/4, 3/4 (0 ln 0 = 0)
    #   -sum p ln p = (1/4) ln 4 + (3/4) ln(4/3) = 0.346574 + 0.215762 = 0.562335
    #   e_b = 0.562335 / 1.098612 = 0.511859, d_b = 0.488141
    # w = d / (d_a + d_b) = 0.053605 / 0.541746, 0.488141 / 0.541746 = 0.098949, 0.901051
    matrix = pd.DataFrame({"a": [1.0, 1.0, 2.0], "b": [0.0, 1.0, 3.0]})
    ln3 = math.log(3)
    d_a = 1 - (2 * 0.25 * math.log(4) + 0.5 * math.log(2)) / ln3
    d_b = 1 - (0.25 * math.log(4) + 0.75 * math.log(4 / 3)) / ln3
    expected = pd.Series({"a": d_a / (d_a + d_b), "b": d_b / (d_a + d_b)})
    pd.testing.assert_series_equal(entropy_weights(matrix), expected)
    assert entropy_weights(matrix).round(6).tolist() == [0.098949, 0.901051]


def test_a_column_with_negative_values_is_shifted_first():
    # -1, -1, 0 shifted by +1 is 0, 0, 1: all the mass on one account, e = 0, d = 1.
    # c = 1, 1, 1 is constant: e = 1, d = 0. So the weights are 1 and 0.
    matrix = pd.DataFrame({"shifted": [-1.0, -1.0, 0.0], "c": [1.0, 1.0, 1.0]})
    pd.testing.assert_series_equal(entropy_weights(matrix), pd.Series({"shifted": 1.0, "c": 0.0}))


def test_when_no_column_tells_the_accounts_apart_the_weights_are_equal():
    matrix = pd.DataFrame({"a": [0.0, 0.0, 0.0], "b": [7.0, 7.0, 7.0], "c": [2.0, 2.0, 2.0]})
    pd.testing.assert_series_equal(entropy_weights(matrix), pd.Series({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}))


def test_one_account_or_none_gives_equal_weights():
    pd.testing.assert_series_equal(entropy_weights(pd.DataFrame({"a": [1.0], "b": [5.0]})),
                                   pd.Series({"a": 0.5, "b": 0.5}))
    assert entropy_weights(pd.DataFrame({"a": [], "b": []})).tolist() == [0.5, 0.5]
