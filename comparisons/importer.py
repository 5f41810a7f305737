"""Catalogue import: the three CSV files of PRODUCT.md, "Data interchange".

An import runs in two steps. ``csvformat.parse_file`` turns CSV text into typed rows and row
errors and touches no database, so every bad cell of every file is found in one pass.
``_Writer`` then resolves references and writes inside one transaction. Benchmarks, providers,
families, models and scores, the bulk of any file, are checked in Python (field validators and
``clean()``) and written with one ``bulk_create`` (COPY for scores) and one ``bulk_update`` per
kind; the providers and families first, since the models name them. New scores, most of a
large file, are held as column values rather than model instances. Their change events are
built by the same functions the signal receivers use (``comparisons.changes``) and inserted in
one statement; the data version is raised once for the whole import
(``scoreboard.one_bump``). Should the database refuse a bulk write (a constraint that only it
can check), that kind is written again row by row with ``full_clean()`` so that every refused
row is reported on its line. Categories, a handful per file, are saved one by one. A row whose
values are unchanged is not written at all, which is what makes a re-import record nothing.
Any error, or a dry run, rolls the whole transaction back before the version is raised, so a
dry run changes nothing a reader can see, and the report's counts and change events are
exactly those of a real import.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import chain, count
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connections, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from comparisons import scoreboard
from comparisons.changes import (
    event_values,
    events_for_model,
    events_for_score,
    score_added,
    state_event,
)
from comparisons.csvformat import (
    BENCHMARKS,
    CSV_FILES,
    KINDS,
    MODELS,
    SCORES,
    ParsedFile,
    Row,
    RowError,
    parse_file,
)
from comparisons.models import (
    Benchmark,
    Category,
    ChangeEvent,
    LanguageModel,
    ModelFamily,
    Provider,
    Score,
)

# A report lists this many errors; the rest are counted. A 2 MB file of bad rows would otherwise
# make a page of several megabytes.
MAX_LISTED_ERRORS = 200


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    change_events: int = 0  # recorded by the import, or that it would record in a dry run

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def listed_errors(self) -> list[RowError]:
        """The errors to show, in file and line order: the first ``MAX_LISTED_ERRORS``."""
        return self.errors[:MAX_LISTED_ERRORS]

    @property
    def unlisted_errors(self) -> int:
        return max(len(self.errors) - MAX_LISTED_ERRORS, 0)

    def summary(self) -> str:
        """One line for a terminal or a flash message."""
        if self.errors:
            return f"Not imported: {_count(len(self.errors), 'error')}; nothing was written."
        created = _counts(self.created) or "nothing"
        updated = _counts(self.updated) or "nothing"
        unchanged = sum(self.unchanged.values())
        events = _count(self.change_events, "change event")
        if self.dry_run:
            return (
                f"Dry run, nothing written: would create {created}; would update {updated}; "
                f"{unchanged} unchanged; {events} would be recorded."
            )
        return f"Created {created}; updated {updated}; {unchanged} unchanged; {events} recorded."


SINGULAR = {"categories": "category", "families": "family"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _counts(counter: Counter[str]) -> str:
    return ", ".join(
        f"{counter[kind]} {SINGULAR.get(kind, kind[:-1]) if counter[kind] == 1 else kind}"
        for kind in KINDS
        if counter[kind]
    )


class _RollBack(Exception):
    """Raised inside the transaction to undo a dry run or an import with errors."""


# --- Writing: inside one transaction --------------------------------------------------------


def _validation_messages(error: ValidationError) -> list[str]:
    """The messages of a ``full_clean()`` error, each prefixed with its CSV column."""
    if not hasattr(error, "error_dict"):
        return error.messages
    columns = {"value": "score"}
    return [
        message if name == NON_FIELD_ERRORS else f"{columns.get(name, name)}: {message}"
        for name, messages in error.message_dict.items()
        for message in messages
    ]


class _Slugs:
    """Slugs for new rows of one kind, which are written in bulk: the stored ones are read
    once, and each one given out is taken from then on."""

    def __init__(self, model: type[models.Model], fallback: str) -> None:
        self.model, self.fallback = model, fallback
        self.taken: set[str] | None = None

    def free(self, names: list[str]) -> str:
        """The first free slug among ``names``, else the last one numbered: "google-flash-2".

        Dots become hyphens first, so "GPT-4.1" is "gpt-4-1" (as model slugs are), not "gpt-41".
        """
        if self.taken is None:
            self.taken = set(self.model._default_manager.values_list("slug", flat=True))
        bases = [slugify(name.replace(".", "-"))[:45] or self.fallback for name in names]
        numbered = (f"{bases[-1]}-{n}" for n in count(2))
        slug = next(slug for slug in chain(bases, numbered) if slug not in self.taken)
        self.taken.add(slug)
        return slug


def _python_errors(instance: models.Model) -> dict:
    """Errors of the checks that need no query: field validators (the relations excepted, since
    the writer resolved each one itself) and ``clean()``."""
    relations = {f.name for f in instance._meta.concrete_fields if f.is_relation}
    errors: dict = {}
    for check in (lambda: instance.clean_fields(exclude=relations), instance.clean):
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    return errors


def _full_clean(instance: models.Model) -> None:
    """``full_clean()`` minus a query per foreign key: the writer resolved each one itself.

    Only the relations' field checks are skipped; the unique and check constraints, which name
    them, are still validated, so a database rule surfaces as a row error, not IntegrityError.
    """
    errors = _python_errors(instance)
    failed = set(errors)  # as in full_clean(): do not query with a value already refused
    for check in (instance.validate_unique, instance.validate_constraints):
        try:
            check(exclude=failed)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class _FieldChecks:
    """``clean_fields()`` for rows written in bulk, each distinct value checked once.

    A catalogue repeats its values: 350,000 scores carry a few hundred source addresses, and
    the URL validator's expression is most of an import's checking time. A field's checks
    depend on the value alone (the relations, which read the instance, are not checked here),
    so a value that passed once passes again; a value that fails is checked again, so every row
    gets its own error. ``clean()`` still runs on every instance.
    """

    def __init__(self) -> None:
        self.passed: dict[tuple[str, Any], Any] = {}
        self.fields: dict[type[models.Model], list[models.Field]] = {}

    def checked(self, model: type[models.Model]) -> list[models.Field]:
        if model not in self.fields:
            self.fields[model] = [
                f
                for f in model._meta.concrete_fields
                if not (f.is_relation or f.generated or f.primary_key)
            ]
        return self.fields[model]

    def clean(
        self,
        model: type[models.Model],
        values: dict[str, Any],
        instance: models.Model | None = None,
    ) -> dict:
        """Check and convert ``values`` (attribute name -> value, every checked field) in
        place; the errors by field name."""
        errors: dict = {}
        for checked in self.checked(model):
            raw = values[checked.attname]
            if checked.blank and raw in checked.empty_values:
                continue
            try:
                key = (checked.attname, raw)
                values[checked.attname] = self.passed[key]
                continue
            except TypeError:  # an unhashable value: checked every time
                key = None
            except KeyError:
                pass
            try:
                cleaned = checked.clean(raw, instance)
            except ValidationError as error:
                errors[checked.name] = error.error_list
                continue
            values[checked.attname] = cleaned
            if key is not None:
                self.passed[key] = cleaned
        return errors

    def errors(self, instance: models.Model) -> dict:
        model = type(instance)
        values = {f.attname: getattr(instance, f.attname) for f in self.checked(model)}
        errors = self.clean(model, values, instance)
        for name, value in values.items():
            setattr(instance, name, value)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        return errors


@dataclass(slots=True)
class _Pending:
    file: str
    row: Row
    instance: models.Model | None  # None: a new score, held as its column values alone
    new: bool
    fields: tuple[str, ...] = ()  # attributes the row changed (an update)
    values: dict[str, Any] | None = None  # a new score's columns (attribute name -> value)
    parents: tuple[LanguageModel, Benchmark] | None = None  # a new score's model and benchmark

    def built(self) -> models.Model:
        """The instance, made now for a new score (only when it must be saved on its own)."""
        if self.instance is None:
            self.instance = Score(**self.values)
            self.instance.model, self.instance.benchmark = self.parents
        return self.instance


# Kinds whose new rows nobody reads an id of afterwards: inserted with COPY on PostgreSQL.
COPIED = frozenset({"Score", "ChangeEvent"})


@cache
def _columns(model: type[models.Model]) -> tuple[list[models.Field], dict[str, Any]]:
    """The fields an insert writes, and the value of each that a row may leave out (None for
    a callable default, called per row as a model instance would)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: None if _called(f) else f.get_default() for f in fields}
    return fields, defaults


def _called(field: models.Field) -> bool:
    return field.has_default() and callable(field.default)


def insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert new rows given as column values (attribute name -> value; a column left out
    takes its field's default): ``COPY ... FROM STDIN`` for ``COPIED`` kinds on PostgreSQL,
    else ``bulk_create``.

    A whole catalogue is some 350,000 scores and as many change events; building a model
    instance and an INSERT for each costs far more in Python than the database needs to store
    them, and COPY streams the values as they are. No id comes back, which neither kind needs:
    a score is found again by (model, benchmark), and a change event is never read by the
    import. A refused row raises ``IntegrityError``, as ``bulk_create`` would.
    """
    if not rows:
        return
    connection = connections[model._default_manager.db]
    fields, defaults = _columns(model)
    if model.__name__ not in COPIED or connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=1000)
        return
    now = timezone.now()
    plan = [(f.attname, f.get_default if _called(f) else None, defaults[f.attname]) for f in fields]
    # What save() would do; JSON goes through the field's own adapter, every other value as
    # it is.
    stamped = [
        i
        for i, f in enumerate(fields)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    json = [(i, f) for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        # Logged like any other statement where queries are counted (tests, DEBUG).
        logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for row in rows:
                values = [
                    row[name] if name in row else make() if make else default
                    for name, make, default in plan
                ]
                for i in stamped:
                    values[i] = now
                for i, f in json:
                    values[i] = f.get_db_prep_save(values[i], connection)
                copy.write_row(values)


def _bulk_write(model: type[models.Model], pending: list[_Pending]) -> None:
    """One INSERT (or COPY) for the new rows, one UPDATE per set of changed columns for the
    others."""
    meta = model._meta
    auto_now = [f for f in meta.concrete_fields if getattr(f, "auto_now", False)]
    new = [p for p in pending if p.new]
    if model.__name__ in COPIED:
        insert(model, [p.values if p.instance is None else _values(p.instance) for p in new])
    else:  # their ids are read back
        model._default_manager.bulk_create([p.instance for p in new], batch_size=1000)
    now = timezone.now()
    groups: dict[tuple[str, ...], list[models.Model]] = {}
    for item in pending:
        if item.new:
            continue
        for stamp in auto_now:  # what save() would do
            setattr(item.instance, stamp.attname, now)
        names = {meta.get_field(name).name for name in item.fields} | {f.name for f in auto_now}
        groups.setdefault(tuple(sorted(names)), []).append(item.instance)
    for names, instances in groups.items():
        model._default_manager.bulk_update(instances, names, batch_size=1000)


def _values(instance: models.Model) -> dict[str, Any]:
    """An instance's column values, as ``insert`` takes them."""
    return {f.attname: getattr(instance, f.attname) for f in _columns(type(instance))[0]}


class _Writer:
    """Saves parsed rows in dependency order, counting and collecting row errors as it goes.

    ``benchmarks`` and ``models`` map every slug of the imported files to its saved instance,
    or to None when its row could not be written: a score of such a row is skipped quietly,
    because the row itself already carries the error.
    """

    # Written in bulk; everything else row by row. A catalogue of thousands of models names
    # hundreds of providers and families, so they are written in bulk too, before the models.
    BULK = frozenset({"benchmarks", "providers", "families", "models", "scores"})

    def __init__(self, report: ImportReport, files: dict[str, ParsedFile]) -> None:
        self.report = report
        self.files = files
        self.pending: dict[str, list[_Pending]] = {kind: [] for kind in self.BULK}
        self.events: list[dict[str, Any]] = []  # change events' column values
        self.checks = _FieldChecks()
        self.benchmarks: dict[str, Benchmark | None] = {}
        self.models: dict[str, LanguageModel | None] = {}
        self.categories: dict[str, Category | None] = {}
        self.providers: dict[str, Provider | None] = {}
        self.families: dict[tuple[int, str], ModelFamily | None] = {}  # (id(provider), name)
        self.slugs = {
            Provider: _Slugs(Provider, "provider"),
            ModelFamily: _Slugs(ModelFamily, "family"),
        }

    def run(self) -> None:
        if BENCHMARKS.name in self.files:
            self.write_benchmarks(self.files[BENCHMARKS.name])
            self.flush("benchmarks", Benchmark)
        if MODELS.name in self.files:
            self.write_models(self.files[MODELS.name])
            self.flush("models", LanguageModel)
        if SCORES.name in self.files:
            self.write_scores(self.files[SCORES.name])
            self.flush("scores", Score)
        if self.events and not self.report.errors:
            insert(ChangeEvent, self.events)

    def error(self, file: str, line: int, message: str) -> None:
        self.report.errors.append(RowError(file, line, message))

    def save(
        self, kind: str, file: str, row: Row, instance: models.Model, fields: tuple[str, ...] = ()
    ) -> bool:
        """Validate and save one instance (or queue it for the bulk write of its kind); False,
        with row errors, when it breaks a rule."""
        new = instance._state.adding
        try:
            if kind in self.BULK:
                # The checks that need no query; unique and check constraints are left to the
                # database, once per bulk statement (see ``flush``).
                if errors := self.checks.errors(instance):
                    raise ValidationError(errors)
            else:
                _full_clean(instance)
        except ValidationError as error:
            for message in _validation_messages(error):
                self.error(file, row.line, message)
            return False
        if kind in self.BULK:
            self.pending[kind].append(_Pending(file, row, instance, new, fields))
        else:
            instance.save()
        (self.report.created if new else self.report.updated)[kind] += 1
        return True

    def flush(self, kind: str, model: type[models.Model]) -> None:
        """Write the queued rows of one kind in bulk, then build their change events."""
        pending, self.pending[kind] = self.pending[kind], []
        if not pending or self.report.errors:
            return  # the import is refused anyway: nothing more to learn from the database
        try:
            with transaction.atomic():
                _bulk_write(model, pending)
        except IntegrityError:
            self.one_by_one(pending)
            return
        if kind in ("benchmarks", "providers", "families"):
            self.events += [event_values(state_event(item.instance)) for item in pending]
            scoreboard.bump_data_version()  # noted; raised once when the import ends
            return
        build = events_for_model if kind == "models" else events_for_score
        for item in pending:
            if item.instance is None:  # a new score: its event straight from its values
                self.events.append(score_added(item.values, *item.parents))
                continue
            events = build(item.instance, item.new, item.instance.tracked_values or {})
            self.events += [event_values(event) for event in events]
            item.instance.remember_tracked_values()
        scoreboard.bump_data_version()

    def one_by_one(self, pending: list[_Pending]) -> None:
        """The database refused a bulk write: full validation and a save per row, as editors'
        writes get, so each refused row is reported on its line."""
        for item in pending:
            try:
                instance = item.built()
                _full_clean(instance)
                with transaction.atomic():
                    instance.save()
            except ValidationError as error:
                for message in _validation_messages(error):
                    self.error(item.file, item.row.line, message)
            except IntegrityError as error:
                self.error(item.file, item.row.line, f"Refused by the database: {error}")

    def upsert(self, kind: str, file: str, row: Row, instance: models.Model, values: dict) -> bool:
        """Set the values that differ and save; an unchanged row is not saved at all.

        Comparison is by value, so "2" and a stored 2.0000 are equal and record nothing.
        """
        changed = []
        for name, value in values.items():
            if getattr(instance, name) != value:
                setattr(instance, name, value)
                changed.append(name)
        if not changed and not instance._state.adding:
            self.report.unchanged[kind] += 1
            return True
        return self.save(kind, file, row, instance, tuple(changed))

    def find_or_create[T: models.Model](
        self, kind: str, file: str, row: Row, found: T | None, build: Callable[[], T]
    ) -> T | None:
        """A category, provider or family: the stored one (unchanged), else a new one."""
        if found is not None:
            self.report.unchanged[kind] += 1
            return found
        instance = build()
        return instance if self.save(kind, file, row, instance) else None

    def category(self, file: str, row: Row, slug: str) -> Category | None:
        if slug not in self.categories:
            self.categories[slug] = self.find_or_create(
                "categories",
                file,
                row,
                Category.objects.filter(slug=slug).first(),
                lambda: self.new_category(slug),
            )
        return self.categories[slug]

    @staticmethod
    def new_category(slug: str) -> Category:
        """Listed after the existing ones; it counts like any other until an editor says not."""
        last = Category.objects.aggregate(last=models.Max("order"))["last"] or 0
        return Category(slug=slug, name=slug.replace("-", " ").capitalize(), order=last + 1)

    @cached_property
    def stored_providers(self) -> tuple[dict[str, Provider], dict[str, Provider]]:
        """The stored providers by name and by lower-case name (the first in the default
        order), read once."""
        exact: dict[str, Provider] = {}
        lower: dict[str, Provider] = {}
        for stored in Provider.objects.all():
            exact.setdefault(stored.name, stored)
            lower.setdefault(stored.name.lower(), stored)
        return exact, lower

    @cached_property
    def stored_families(self) -> dict[tuple[int, str], ModelFamily]:
        """The stored families by provider id and lower-case name, read once."""
        found: dict[tuple[int, str], ModelFamily] = {}
        for stored in ModelFamily.objects.all():
            found.setdefault((stored.provider_id, stored.name.lower()), stored)
        return found

    def provider(self, file: str, row: Row, name: str) -> Provider | None:
        if name.lower() not in self.providers:
            exact, lower = self.stored_providers
            self.providers[name.lower()] = self.find_or_create(
                "providers",
                file,
                row,
                exact.get(name) or lower.get(name.lower()),
                lambda: Provider(name=name, slug=self.slugs[Provider].free([name])),
            )
        return self.providers[name.lower()]

    def family(self, file: str, row: Row, provider: Provider, name: str) -> ModelFamily | None:
        key = (id(provider), name.lower())
        if key not in self.families:
            # Family names repeat across providers ("Flash"): the second one gets a prefix.
            names = [name, f"{provider.slug} {name}"]
            self.families[key] = self.find_or_create(
                "families",
                file,
                row,
                self.stored_families.get((provider.pk, name.lower())),
                lambda: ModelFamily(
                    provider=provider, name=name, slug=self.slugs[ModelFamily].free(names)
                ),
            )
        return self.families[key]

    def write_benchmarks(self, parsed: ParsedFile) -> None:
        slugs = [row.values["slug"] for row in parsed.rows if row.values.get("slug")]
        stored = Benchmark.objects.in_bulk(slugs, field_name="slug")
        for row in parsed.rows:
            slug = row.values.get("slug")
            if slug:
                self.benchmarks[slug] = None
            if not row.valid:
                continue
            values = dict(row.values)
            category = self.category(parsed.name, row, values.pop("category"))
            if category is None:
                continue
            values["category_id"] = category.pk
            benchmark = stored.get(slug) or Benchmark()
            if self.upsert("benchmarks", parsed.name, row, benchmark, values):
                self.benchmarks[slug] = benchmark

    def write_parents(self, parsed: ParsedFile) -> None:
        """The models' providers, then their families, each found or created in bulk."""
        valid = [row for row in parsed.rows if row.valid]
        for row in valid:
            self.provider(parsed.name, row, row.values["provider"])
        self.flush("providers", Provider)
        for row in valid:
            provider = self.providers[row.values["provider"].lower()]
            if provider is not None and row.values["family"]:
                self.family(parsed.name, row, provider, row.values["family"])
        self.flush("families", ModelFamily)

    def write_models(self, parsed: ParsedFile) -> None:
        self.write_parents(parsed)
        slugs = [row.values["slug"] for row in parsed.rows if row.values.get("slug")]
        stored = LanguageModel.objects.in_bulk(slugs, field_name="slug")
        for row in parsed.rows:
            slug = row.values.get("slug")
            if slug:
                self.models[slug] = None
            if not row.valid:
                continue
            values = dict(row.values)
            provider = self.provider(parsed.name, row, values.pop("provider"))
            family_name = values.pop("family")
            if provider is None:
                continue
            family = self.family(parsed.name, row, provider, family_name) if family_name else None
            if family_name and family is None:
                continue
            values["provider_id"] = provider.pk
            values["family_id"] = family.pk if family else None
            model = stored.get(slug) or LanguageModel()
            if self.upsert("models", parsed.name, row, model, values):
                self.models[slug] = model

    def known(self, kind: str, parsed: ParsedFile) -> dict[str, Any]:
        """Slug -> instance (None: not written) for the rows' models or benchmarks.

        The imported file's rows first, then the database for slugs the file does not have.
        """
        in_files = self.models if kind == "model" else self.benchmarks
        manager = LanguageModel.objects if kind == "model" else Benchmark.objects
        wanted = {row.values[kind] for row in parsed.rows if row.values.get(kind)}
        return {**manager.in_bulk(wanted - set(in_files), field_name="slug"), **in_files}

    def write_scores(self, parsed: ParsedFile) -> None:
        known = {kind: self.known(kind, parsed) for kind in ("model", "benchmark")}
        targets = [self.score_target(parsed.name, row, known) for row in parsed.rows]
        model_ids = {model.pk for model, _ in filter(None, targets)}
        stored = {
            (score.model_id, score.benchmark_id): score
            for score in Score.objects.filter(model_id__in=model_ids)
        }
        for row, target in zip(parsed.rows, targets, strict=True):
            if not row.valid or target is None:
                continue
            model, benchmark = target
            values = {k: v for k, v in row.values.items() if k not in ("model", "benchmark")}
            score = stored.get((model.pk, benchmark.pk))
            if score is None and Score.clean is models.Model.clean:
                self.new_score(parsed.name, row, model, benchmark, values)
                continue
            score = score or Score()  # a rule in clean() of its own needs an instance
            # The instances the change records read names from, without a query per row.
            score.model, score.benchmark = model, benchmark
            self.upsert("scores", parsed.name, row, score, values)

    def new_score(
        self, file: str, row: Row, model: LanguageModel, benchmark: Benchmark, values: dict
    ) -> None:
        """Queue a new score as its column values: checked as ``save`` checks an instance, with
        no ``Score`` built (``_Pending.built`` makes one only should it be saved on its own).

        ``Score`` has no ``clean()`` of its own, which would need an instance; should it get
        one, ``write_scores`` queues instances again."""
        columns = _columns(Score)[1] | values
        columns["model_id"], columns["benchmark_id"] = model.pk, benchmark.pk
        if errors := self.checks.clean(Score, columns):
            for message in _validation_messages(ValidationError(errors)):
                self.error(file, row.line, message)
            return
        self.pending["scores"].append(
            _Pending(file, row, None, True, values=columns, parents=(model, benchmark))
        )
        self.report.created["scores"] += 1

    def score_target(
        self, file: str, row: Row, known: dict[str, dict[str, Any]]
    ) -> tuple[LanguageModel, Benchmark] | None:
        """The row's model and benchmark, reporting a slug that is nowhere to be found."""
        found = []
        for kind, source in (("model", MODELS.name), ("benchmark", BENCHMARKS.name)):
            slug = row.values.get(kind)
            if slug and slug not in known[kind] and self.resolvable(source):
                where = f"{source} nor in " if source in self.files else ""
                self.error(
                    file, row.line, f"{kind}: unknown {kind} “{slug}” (not in {where}the database)."
                )
            found.append(known[kind].get(slug) if slug else None)
        model, benchmark = found
        return (model, benchmark) if model and benchmark else None

    def resolvable(self, source: str) -> bool:
        """False when ``source`` was given without a slug column: its slugs are unknowable."""
        return source not in self.files or "slug" in self.files[source].columns


def import_catalogue(sources: Mapping[str, str], *, dry_run: bool = False) -> ImportReport:
    """Import any of the three files (file name -> CSV text), all or nothing.

    A file not in ``sources`` is left alone; references to its rows resolve against the
    database. Every bad row is reported; with any error, or in a dry run, nothing is written.
    """
    return _import(sources, dry_run=dry_run, errors=[])


def _import(sources: Mapping[str, str], *, dry_run: bool, errors: list[RowError]) -> ImportReport:
    with scoreboard.collector_paused():
        return _import_files(sources, dry_run=dry_run, errors=errors)


def _import_files(
    sources: Mapping[str, str], *, dry_run: bool, errors: list[RowError]
) -> ImportReport:
    report = ImportReport(errors=list(errors), dry_run=dry_run)
    unknown = sorted(set(sources) - set(CSV_FILES))
    for name in unknown:
        report.errors.append(RowError(name, 0, f"Unknown file; expected {', '.join(CSV_FILES)}."))
    files = {name: parse_file(name, sources[name]) for name in CSV_FILES if name in sources}
    if not files and not report.errors:
        report.errors.append(RowError("", 0, f"Nothing to import: no {', '.join(CSV_FILES)}."))
    for parsed in files.values():
        report.errors += parsed.errors
    try:
        with transaction.atomic(), scoreboard.one_bump():
            events_before = ChangeEvent.objects.for_readers().count()
            _Writer(report, files).run()
            report.change_events = ChangeEvent.objects.for_readers().count() - events_before
            if report.errors or dry_run:
                raise _RollBack  # before one_bump() ends: no version, no invalidation
    except _RollBack:
        pass
    if report.errors:
        report.created, report.updated, report.unchanged = Counter(), Counter(), Counter()
        report.change_events = 0
    order = {name: index for index, name in enumerate(CSV_FILES)}
    report.errors.sort(key=lambda error: (order.get(error.file, -1), error.file, error.line))
    return report


def import_directory(path: Path | str, *, dry_run: bool = False) -> ImportReport:
    """Import whichever of the three files exist in the directory ``path``."""
    directory = Path(path)
    sources: dict[str, str] = {}
    errors: list[RowError] = []
    for name in CSV_FILES:
        file = directory / name
        if not file.is_file():
            continue
        data = file.read_bytes()
        try:
            sources[name] = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            errors.append(RowError(name, line, "Not UTF-8 text; save the file as CSV UTF-8."))
    if not sources and not errors:
        message = f"None of {', '.join(CSV_FILES)} is in {directory}."
        return ImportReport(errors=[RowError(str(directory), 0, message)], dry_run=dry_run)
    return _import(sources, dry_run=dry_run, errors=errors)
