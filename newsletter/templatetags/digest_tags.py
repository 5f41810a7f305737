from django import template

from newsletter import digest

register = template.Library()


@register.filter
def money(value: str) -> str:
    return digest.money(value)
