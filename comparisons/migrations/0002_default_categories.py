from decimal import Decimal

from django.db import migrations

CATEGORIES = [
    ("agentic", "Agentic", "", 22, "Multi-step tasks with tools: browsing, terminals, computer use."),
    ("coding", "Coding", "", 20, "Writing, editing and fixing real code, from functions to repositories."),
    ("reasoning", "Reasoning", "", 17, "Hard multi-step problems across fields that reward careful thinking."),
    ("multimodal", "Multimodal", "", 12, "Questions that combine images, charts or diagrams with text."),
    ("knowledge", "Knowledge", "", 12, "Expert and factual knowledge: exams, graduate-level science, short facts."),
    ("multilingual", "Multilingual", "", 7, "The same skills in languages other than English."),
    ("instruction-following", "Instruction following", "Inst. Following", 5, "Doing exactly what the prompt asks, in one turn and across a conversation."),
    ("math", "Math", "", 5, "Competition mathematics with exact answers."),
]


def create_defaults(apps, schema_editor):
    Category = apps.get_model("comparisons", "Category")
    MethodologySettings = apps.get_model("comparisons", "MethodologySettings")
    for order, (slug, name, short, weight, description) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "weight": Decimal(weight),
                "order": order,
                "description": description,
            },
        )
    MethodologySettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
