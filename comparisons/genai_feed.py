"""Pydantic's genai-prices as the catalogue's price feed: read it as ``pricefeed.FeedEntry`` rows.

The package ships a snapshot of every provider's prices (``genai_prices.data``); its
``UpdatePrices.fetch()`` downloads the project's current data. ``load_feed(refresh=True)``
tries that once, and on any failure logs one line and uses the bundled snapshot, so a sync
never fails and never clears anything for want of a network.

How the package expresses prices, and how they map onto the catalogue:
- a model's ``prices`` is a ``ModelPrice`` or a list of ``ConditionalPrice`` tried last to first;
  one whose ``StartDateConstraint`` is still in the future is a scheduled change;
- a price is a ``Decimal`` (USD per 1M tokens) or ``TieredPrices(base, tiers)``, where a tier
  starting at N applies to the whole request once its input tokens exceed N (Gemini and Claude
  past 200K): the first tier becomes the catalogue's long-context tier;
- ``cache_read_mtok`` is the cached-input price, ``cache_write_mtok`` (else
  ``cache_write_5m_mtok``) the cache-write price; batch prices are the ``price_variants`` for
  ``{"processing": "batch"}``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from importlib.metadata import version

from comparisons.pricefeed import FeedEntry, Term

logger = logging.getLogger(__name__)

PACKAGE = "genai-prices"
FOUR_PLACES = Decimal("0.0001")  # the catalogue stores prices with four decimals


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """Which data a sync used: the bundled snapshot or a fresh download, and its date."""

    source: str  # "bundled" or "upstream"
    package_version: str
    as_of: date

    def describe(self) -> str:
        if self.source == "upstream":
            return f"{PACKAGE} upstream data fetched {self.as_of.isoformat()}"
        return (
            f"{PACKAGE} {self.package_version} bundled snapshot "
            f"(newest price dated {self.as_of.isoformat()})"
        )


def _price(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def _base(value) -> Decimal | None:
    from genai_prices.types import TieredPrices

    return _price(value.base if isinstance(value, TieredPrices) else value)


def _tier(value, threshold: int) -> Decimal | None:
    """The price past ``threshold`` input tokens; a flat price is the same at every length."""
    from genai_prices.types import TieredPrices

    if not isinstance(value, TieredPrices):
        return _price(value)
    applicable = value.base
    for tier in value.tiers:
        if threshold >= tier.start:
            applicable = tier.price
    return _price(applicable)


def _first(model_price, *keys: str):
    for key in keys:
        value = getattr(model_price, key, None)
        if value is not None:
            return value
    return None


def terms_of(model, today: date) -> dict[str, Term]:
    """A genai-prices ``ModelInfo`` as catalogue price terms in force on ``today``."""
    from genai_prices.types import ModelPrice, StartDateConstraint, TieredPrices

    moment = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    standard = model.get_prices(moment)
    batch = model.get_prices(moment, {"processing": "batch"})
    input_price = _first(standard, "input_mtok", "input_text_mtok")
    output_price = _first(standard, "output_mtok", "output_text_mtok")
    cached = _first(standard, "cache_read_mtok", "cache_text_read_mtok")
    cache_write = _first(standard, "cache_write_mtok", "cache_write_5m_mtok")
    terms: dict[str, Term] = {
        "input_price": _base(input_price),
        "output_price": _base(output_price),
        "cached_input_price": _base(cached),
        "cache_write_price": _base(cache_write),
    }
    batch_in, batch_out = _first(batch, "input_mtok"), _first(batch, "output_mtok")
    if batch_in is not input_price:
        terms["batch_input_price"] = _base(batch_in)
    if batch_out is not output_price:
        terms["batch_output_price"] = _base(batch_out)
    if isinstance(input_price, TieredPrices) and input_price.tiers:
        threshold = input_price.tiers[0].start
        terms["long_context_threshold"] = threshold
        terms["long_context_input_price"] = _tier(input_price, threshold)
        terms["long_context_output_price"] = _tier(output_price, threshold)
        terms["long_context_cached_input_price"] = _tier(cached, threshold)
    if not isinstance(model.prices, ModelPrice):
        upcoming = sorted(
            (p for p in model.prices if isinstance(p.constraint, StartDateConstraint)),
            key=lambda p: p.constraint.start_date,
        )
        for conditional in upcoming:
            if conditional.constraint.start_date > today:
                terms["scheduled_price_date"] = conditional.constraint.start_date
                terms["scheduled_input_price"] = _base(
                    _first(conditional.prices, "input_mtok", "input_text_mtok")
                )
                terms["scheduled_output_price"] = _base(
                    _first(conditional.prices, "output_mtok", "output_text_mtok")
                )
                break
    return terms


def _newest_start_date(providers, today: date) -> date | None:
    """The latest price start date in the data that is not in the future: a floor for its age.

    The package records no build date, so the newest change it knows of dates the snapshot.
    """
    from genai_prices.types import ModelPrice, StartDateConstraint

    newest = None
    for provider in providers:
        for model in provider.models:
            constraints = [v.constraint for v in model.price_variants or ()]
            if not isinstance(model.prices, ModelPrice):
                constraints += [p.constraint for p in model.prices]
            for constraint in constraints:
                if isinstance(constraint, StartDateConstraint):
                    start = constraint.start_date
                    if start <= today and (newest is None or start > newest):
                        newest = start
    return newest


@dataclass(frozen=True, slots=True)
class Feed:
    entries: dict[tuple[str, str], FeedEntry]
    snapshot: SnapshotInfo

    def lookup(self, provider_id: str, model_id: str) -> FeedEntry | None:
        return self.entries.get((provider_id, model_id))


def _bundled_providers():
    from genai_prices.data import providers

    return providers


def _upstream_providers(url: str | None):
    from genai_prices import UpdatePrices

    updater = UpdatePrices(url=url) if url else UpdatePrices()
    snapshot = updater.fetch()
    if snapshot is None:
        raise ValueError("the upstream data was empty")
    return snapshot.providers


def load_feed(*, refresh: bool, today: date, url: str | None = None) -> Feed:
    """Every model the feed prices, keyed by (provider id, model id), with its snapshot info.

    With ``refresh`` the project's published data is downloaded first (from ``url``, else the
    package's default address); if that fails for any reason one warning line says why and
    which snapshot is used instead.
    """
    package_version = version(PACKAGE)
    providers, source, as_of = None, "bundled", None
    if refresh:
        try:
            providers, source, as_of = _upstream_providers(url), "upstream", today
        except Exception as error:  # no network, HTTP error, bad payload: all mean "use ours"
            bundled = _bundled_providers()
            fallback = SnapshotInfo(
                "bundled", package_version, _newest_start_date(bundled, today) or today
            )
            logger.warning(
                "price feed refresh failed (%s: %s); using the %s",
                type(error).__name__,
                str(error)[:200],
                fallback.describe(),
            )
            providers = bundled
    if providers is None or source == "bundled":
        providers = providers or _bundled_providers()
        as_of = _newest_start_date(providers, today) or today
    entries = {}
    for provider in providers:
        for model in provider.models:
            entries[(provider.id, model.id)] = FeedEntry(
                provider.id, model.id, model.name or model.id, terms_of(model, today)
            )
    return Feed(entries, SnapshotInfo(source, package_version, as_of))
