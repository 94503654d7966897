"""Random draws of one seed: weight perturbations and the normalisation method of each draw."""
from __future__ import annotations

import numpy as np

# Random streams of one seed: each is deterministic on its own, so adding a draw or a method never
# shifts the others.
STREAM_INDICATOR_WEIGHTS = 0
STREAM_CATEGORY_WEIGHTS = 1
STREAM_METHOD = 2


def perturbation_factors(size: int, *, draws: int, seed: int, spread: float, stream: int) -> np.ndarray:
    """(draws x size) factors U(1 - spread, 1 + spread). Row j does not depend on `draws`."""
    if not 0 <= spread < 1:
        raise ValueError("spread must be in [0, 1)")
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream,)))
    return rng.uniform(1 - spread, 1 + spread, size=(draws, size))


def weight_draws(weights: np.ndarray, *, draws: int, seed: int, spread: float, stream: int) -> np.ndarray:
    """(draws x len) perturbed, renormalised; NaN entries stay NaN. Deterministic in (seed, stream)."""
    weights = np.asarray(weights, dtype=np.float64)
    perturbed = weights * perturbation_factors(
        len(weights), draws=draws, seed=seed, spread=spread, stream=stream
    )
    return perturbed / np.nansum(perturbed, axis=1, keepdims=True)


def method_draws(methods: int, *, draws: int, seed: int) -> np.ndarray:
    """(draws,) index of the normalisation method each draw uses, uniform."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(STREAM_METHOD,)))
    return rng.integers(0, methods, size=draws)
