"""What one evaluation run of a benchmark costs at today's prices.

Pure functions. Some publishers say how many tokens a model used to run a benchmark (its input
and output over every task, reasoning tokens included in the output). Priced at the model's
current list prices, that is what running the benchmark again would cost, and divided by the
number of tasks, what one task costs: a figure that puts a score beside the money it took, as
Artificial Analysis does for its own index.

It is an estimate, and always labelled so: prices move after the run, a run may have used a
prompt cache or the batch API (neither is assumed here), and the long-context tier, billed per
request, cannot be told from a run's totals, so the list prices apply throughout.
"""

from __future__ import annotations

from dataclasses import dataclass

from comparisons.pricing import TOKENS_PER_PRICE_UNIT, Prices


@dataclass(frozen=True, slots=True)
class RunTokens:
    """What one evaluation run used, as published."""

    input_tokens: int
    output_tokens: int
    tasks: int | None = None  # questions or problems in the run; None when not published

    def __post_init__(self) -> None:
        if self.input_tokens < 0 or self.output_tokens < 0:
            raise ValueError("token counts cannot be negative")
        if self.tasks is not None and self.tasks < 1:
            raise ValueError("a run has at least one task")


@dataclass(frozen=True, slots=True)
class RunCost:
    """A run's cost in USD at today's list prices, and per task where the task count is known."""

    tokens: RunTokens
    total: float
    per_task: float | None


def run_tokens(
    input_tokens: int | None, output_tokens: int | None, tasks: int | None = None
) -> RunTokens | None:
    """The run's tokens when both counts are published, else None: a run priced on its output
    alone would look cheaper than it was."""
    if input_tokens is None or output_tokens is None:
        return None
    return RunTokens(input_tokens, output_tokens, tasks)


def run_cost(prices: Prices, tokens: RunTokens | None) -> RunCost | None:
    """``input tokens x input price + output tokens x output price`` (prices per 1M tokens);
    None when the tokens or either price is unknown, never 0."""
    if tokens is None or prices.input is None or prices.output is None:
        return None
    total = (
        tokens.input_tokens * prices.input + tokens.output_tokens * prices.output
    ) / TOKENS_PER_PRICE_UNIT
    per_task = None if tokens.tasks is None else total / tokens.tasks
    return RunCost(tokens, total, per_task)
