"""ApiToken now belongs to the accounts app (accounts 0001): removed from this app's state
only; its table, ``patients_apitoken``, and every row stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("patients", "0008_text_limits"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    ]
