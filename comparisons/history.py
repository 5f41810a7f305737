"""The catalogue as it stood at a past instant, replayed from the change events.

Plain Python, no ORM: ``replay`` takes the events (oldest first) as ``Event`` tuples and keeps
each row's newest recorded state before the instant; ``catalogue_rows`` turns those states into
the ``scoreboard.CatalogueRows`` that today's board is built from, so a past board is built by
the same function (``scoreboard.board_from_rows``) from the rows as they were.

Every write records the row's values after it (``comparisons.changes``): a model, a score (keyed
"model id:benchmark id"), a benchmark, a category, a provider, a family, the methodology. A
deleted row's state is None; a deleted model takes its scores with it, as the database does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, NamedTuple

from comparisons import scoring
from comparisons.scoreboard import (
    BenchmarkInfo,
    CatalogueRows,
    CategoryInfo,
    ModelCard,
    card_prices,
)

DEFAULT_SHARE = 50  # MethodologySettings' defaults, for a history with no methodology row
DEFAULT_COVERAGE = 50

MODEL_DATES = ("release_date", "scheduled_price_date")


class Event(NamedTuple):
    at: datetime
    row_kind: str
    row_key: str
    state: dict[str, Any] | None


@dataclass
class Rows:
    """Each kind of row's states by key, and when each model's figures last changed."""

    states: dict[str, dict[str, dict[str, Any]]]
    touched: dict[str, datetime]  # model id -> its last event (its own or a score's)


def replay(events: list[Event], until: datetime) -> Rows:
    """Every row's newest state before ``until``, from ``events`` in the order recorded."""
    states: dict[str, dict[str, dict[str, Any]]] = {}
    touched: dict[str, datetime] = {}
    for event in events:
        if event.at >= until:
            break
        _apply(states, touched, event)
    return Rows(states, touched)


def replay_days(
    events: list[Event], ends: list[datetime], days: list[date]
) -> Iterator[tuple[date, Rows]]:
    """The rows at each of ``ends`` (ascending), from one pass over ``events``: (day, rows)."""
    states: dict[str, dict[str, dict[str, Any]]] = {}
    touched: dict[str, datetime] = {}
    position = 0
    for end, day in zip(ends, days, strict=True):
        while position < len(events) and events[position].at < end:
            _apply(states, touched, events[position])
            position += 1
        yield day, Rows({kind: dict(rows) for kind, rows in states.items()}, dict(touched))


def _apply(states: dict, touched: dict, event: Event) -> None:
    rows = states.setdefault(event.row_kind, {})
    if event.state is None:
        rows.pop(event.row_key, None)
    else:
        rows[event.row_key] = event.state
    if event.row_kind == "model":
        touched[event.row_key] = event.at
    elif event.row_kind == "score":
        touched[event.row_key.partition(":")[0]] = event.at


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _card(state: dict[str, Any], providers: dict, families: dict, at: datetime) -> ModelCard:
    provider = providers.get(str(state["provider_id"]), {})
    family = families.get(str(state.get("family_id")), {}) if state.get("family_id") else {}
    fields = dict(state)
    for name in MODEL_DATES:
        fields[name] = _date(state.get(name))
    return ModelCard(
        slug=state["slug"],
        name=state["name"],
        provider=provider.get("name", ""),
        provider_slug=provider.get("slug", ""),
        family=family.get("name", ""),
        family_slug=family.get("slug", ""),
        release_date=fields["release_date"],
        reasoning=bool(state.get("reasoning")),
        open_weights=bool(state.get("open_weights")),
        context_window=state.get("context_window"),
        max_output_tokens=state.get("max_output_tokens"),
        prices=card_prices(SimpleNamespace(**fields)),
        output_speed=state.get("output_speed"),
        ttft=state.get("ttft"),
        knowledge_cutoff=state.get("knowledge_cutoff") or "",
        input_modalities=state.get("input_modalities") or "",
        parameters=state.get("parameters") or "",
        last_updated=at,
        price_confirmed_at=_datetime(state.get("price_confirmed_at")),
        variant_note=state.get("variant_note") or "",
    )


def catalogue_rows(rows: Rows) -> CatalogueRows:
    """The rows ``scoreboard.board_from_rows`` takes, in the orders the database gives them:
    categories by order and slug, benchmarks by category order and name, models by name."""
    kinds = rows.states
    method = next(iter(kinds.get("methodology", {}).values()), {})
    thresholds = scoring.Thresholds(
        category_share=method.get("category_share", DEFAULT_SHARE) / 100,
        ranking_coverage=method.get("ranking_coverage", DEFAULT_COVERAGE) / 100,
    )
    category_states = kinds.get("category", {})
    ordered = sorted(category_states.items(), key=lambda kv: (kv[1]["order"], kv[1]["slug"]))
    categories = [
        CategoryInfo(
            c["slug"],
            c["name"],
            c.get("short_name") or c["name"],
            float(c["weight"]),
            c["order"],
            c.get("description") or "",
        )
        for _, c in ordered
    ]
    by_id = dict(ordered)
    benchmarks = []
    for key, b in kinds.get("benchmark", {}).items():
        category = by_id.get(str(b["category_id"]))
        if category is None:
            continue
        info = BenchmarkInfo(
            b["slug"],
            b["name"],
            category["slug"],
            float(b["weight"]),
            b.get("description") or "",
            b.get("url") or "",
        )
        benchmarks.append(((category["order"], b["name"]), int(key), info))
    benchmarks.sort(key=lambda item: item[0])
    providers, families = kinds.get("provider", {}), kinds.get("family", {})
    published = sorted(
        ((key, m) for key, m in kinds.get("model", {}).items() if m.get("published")),
        key=lambda kv: (kv[1]["name"], int(kv[0])),
    )
    models = [(int(key), _card(m, providers, families, rows.touched[key])) for key, m in published]
    known_models = {pk for pk, _ in models}
    known_benchmarks = {pk for _, pk, _ in benchmarks}
    scores = []
    for key, s in kinds.get("score", {}).items():
        model, _, benchmark = key.partition(":")
        model_id, benchmark_id = int(model), int(benchmark)
        if model_id not in known_models or benchmark_id not in known_benchmarks:
            continue
        scores.append(
            (
                model_id,
                benchmark_id,
                float(s["value"]),
                bool(s.get("verified")),
                _date(s.get("as_of")),
                s.get("source_url") or "",
                s.get("note") or "",
                s.get("run_input_tokens"),
                s.get("run_output_tokens"),
                s.get("run_tasks"),
            )
        )
    return CatalogueRows(
        thresholds,
        categories,
        [(pk, info) for _, pk, info in benchmarks],
        models,
        scores,
    )
