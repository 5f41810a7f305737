"""Admin forms: the catalogue's model forms and the CSV import upload.

The rules themselves live on the models (validators and database constraints, which Django
validates in every ``ModelForm``); these forms only make the messages read the same however a
rule is broken, and check what a single row cannot: that a family belongs to the chosen provider.
"""

from django import forms
from django.db import models

from comparisons.csvformat import CSV_FILES
from comparisons.models import PRICE_TERMS, LanguageModel, Score

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_LABEL = "2 MB"


def constraint_message(model: type[models.Model], name: str) -> str:
    """The ``violation_error_message`` of one of ``model``'s constraints: one wording per rule."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return str(constraint.violation_error_message)


SCORE_RANGE_MESSAGE = constraint_message(Score, "score_value_0_to_100")


class LanguageModelForm(forms.ModelForm):
    class Meta:
        model = LanguageModel
        fields = (
            "name",
            "variant_note",
            "slug",
            "provider",
            "family",
            "release_date",
            "reasoning",
            "open_weights",
            "context_window",
            "max_output_tokens",
            "knowledge_cutoff",
            "input_modalities",
            "parameters",
            *PRICE_TERMS,
            "genai_provider_id",
            "genai_model_id",
            "prices_pinned",
            "output_speed",
            "ttft",
            "body",
            "published",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "family" in self.fields:
            # Family names repeat across providers ("Flash", "Pro"): say whose each one is.
            self.fields["family"].label_from_instance = lambda f: f"{f.provider.name} · {f.name}"

    def clean(self):
        cleaned = super().clean()
        provider, family = cleaned.get("provider"), cleaned.get("family")
        if provider and family and family.provider_id != provider.pk:
            self.add_error(
                "family",
                f"{family.name} is a family of {family.provider.name}, not {provider.name}.",
            )
        return cleaned


class ScoreForm(forms.ModelForm):
    """A score, in the inline of a model or of a benchmark and on its own page."""

    class Meta:
        model = Score
        fields = (
            "model",
            "benchmark",
            "value",
            "verified",
            "as_of",
            "source_url",
            "note",
            "run_input_tokens",
            "run_output_tokens",
            "run_tasks",
        )
        # Plain inputs: the admin's URL widget repeats the current link, too bulky in an inline row.
        widgets = {
            "source_url": forms.URLInput(attrs={"size": 32}),
            "note": forms.TextInput(attrs={"size": 24}),
        }
        # The field validators catch 140 before the database constraint is checked; give them
        # the constraint's wording so the editor reads one clear rule.
        error_messages = {
            "value": {
                "min_value": SCORE_RANGE_MESSAGE,
                "max_value": SCORE_RANGE_MESSAGE,
                "max_whole_digits": SCORE_RANGE_MESSAGE,
            }
        }


def _field_name(file_name: str) -> str:
    return file_name.removesuffix(".csv")


class CsvFileField(forms.FileField):
    """An uploaded CSV file that cleans to its text: at most 2 MB, and UTF-8."""

    def to_python(self, data) -> str | None:
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"{self.label} is larger than {MAX_UPLOAD_LABEL}, the limit per file. "
                "Split it, or import it with “manage.py import_data”.",
                code="too_large",
            )
        data = upload.read()
        try:
            # utf-8-sig: spreadsheets often start a UTF-8 file with a byte-order mark.
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise forms.ValidationError(
                f"{self.label} is not UTF-8 text (line {line} has a byte UTF-8 does not allow). "
                "Save it as “CSV UTF-8” and upload it again.",
                code="encoding",
            ) from error


class CatalogueImportForm(forms.Form):
    """Up to three CSV files of the import format, and whether to only preview the import."""

    dry_run = forms.BooleanField(
        label="Dry run",
        required=False,
        initial=True,
        help_text="Preview only: check the files and count what would change, writing nothing.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        files = {
            _field_name(name): CsvFileField(
                label=name,
                required=False,
                help_text=f"UTF-8, header row first, at most {MAX_UPLOAD_LABEL}.",
            )
            for name in CSV_FILES
        }
        # The files first, in the order the importer reads them, then the dry-run box.
        self.fields = {**files, "dry_run": self.fields["dry_run"]}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.sources:
            raise forms.ValidationError("Choose at least one file to import.", code="no_files")
        return cleaned

    @property
    def sources(self) -> dict[str, str]:
        """File name -> text of every file uploaded, as ``import_catalogue`` takes them."""
        data = getattr(self, "cleaned_data", {})
        return {name: data[_field_name(name)] for name in CSV_FILES if data.get(_field_name(name))}
