"""A list of short codes stored as comma-separated text.

Used instead of JSONField for drug names and endocrinopathies: JSONField's
system check opens a database connection, which `manage.py check` must not
need. The codes are fixed vocabularies without commas. ``None`` (unknown) and
``[]`` (known to be empty) stay distinct when the column is nullable.
"""

from django.core.exceptions import ValidationError
from django.db import models


class CodeListField(models.TextField):
    SEPARATOR = ","

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        if isinstance(value, tuple):
            return list(value)
        return [item for item in value.split(self.SEPARATOR) if item]

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            value = self.to_python(value)
        if any(self.SEPARATOR in item for item in value):
            raise ValidationError("A code may not contain a comma.")
        return self.SEPARATOR.join(value)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj)) or ""
