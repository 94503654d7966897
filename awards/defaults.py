"""The settings a new award round takes unless it is told otherwise, and the scale every score is on.

The rule: one owner. The model's field defaults, the create form, the command's options, the service's
round_create, the combination's Method and the demo round all read these names; nothing else writes the
numbers. A round stores its own settings when it is created, so changing a default here changes new
rounds only (migrations keep the literal values they were written with). Pure Python: the combination
(awards.scoring, no Django) needs the defaults and the scale too.

Weights are decimal text, so that the model stores them exactly (Decimal("0.6"), not 0.59999…) and the
combination reads them as floats; they sum to 1.
"""
from __future__ import annotations

# Ranking R, experts E, netizens N: the final score is WEIGHT_RANKING × R + WEIGHT_EXPERTS × E + WEIGHT_NETIZENS × N.
WEIGHT_RANKING = "0.6"
WEIGHT_EXPERTS = "0.25"
WEIGHT_NETIZENS = "0.15"
WEIGHTS = (WEIGHT_RANKING, WEIGHT_EXPERTS, WEIGHT_NETIZENS)
CANDIDATES_N = 20  # every candidate ranked N or better (ties all in)
SHORTLIST_SIZE = 10
AGGREGATION = "mean"  # or "trimmed" (awards.scoring.combine.MEAN / TRIMMED)
TRIM = 1  # scores dropped at each end by a trimmed mean
QUORUM = 5  # expert scores each candidate needs before the voting may close
# R, E, N and an expert's score are all on 0..SCALE: R = composite ÷ best composite × SCALE, N the same for
# votes, and an expert scores from 0 to SCALE.
SCALE = 100
