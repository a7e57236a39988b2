"""``{{ path|fact_label }}``: a fact's JSON path as the label the page shows (patients.factlabels)."""

from django import template

from patients.factlabels import fact_label as label_of

register = template.Library()


@register.filter
def fact_label(path):
    return label_of(str(path))
