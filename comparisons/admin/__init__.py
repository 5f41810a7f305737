"""The Django admin for the catalogue, one module per topic.

Importing the modules registers their ``ModelAdmin`` classes with the default admin site.
"""

from comparisons.admin import catalogue, history, language_models, scores

__all__ = ["catalogue", "history", "language_models", "scores"]
