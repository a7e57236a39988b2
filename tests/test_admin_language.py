"""The admin in Norwegian (issue 12 item 2): every model's name (singular and plural), every
field's name, help text and choice label, of our apps and of every model the admin shows, comes
from the Norwegian catalogue; the admin's pages in bokmål show none of the English names."""

import html
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import trans_real

from tests.personas import verify_second_factor
from tests.regimens.factories import stored

OUR_APPS = ("accounts", "patients", "regimens")
# Plain texts that are the same in both languages: codes, names and units, never translated.
LITERALS = {
    "ID", "ATC", "IgG", "IgA", "IgM", "IgD", "IgE", "sCR", "CR", "VGPR", "PR", "MR", "SD", "PD", "Mosteller",
    "DuBois", "6", "8", "mg", "mg/m2", "mg/kg", "g/m2",
    # cytogenetic aberrations in ISCN notation
    "del(17p)", "t(4;14)", "t(14;16)", "t(14;20)", "t(11;14)", "del(1p32)",
}


def shown_models():
    """Our apps' models, and every model the admin shows (with the inlines of its pages)."""
    models = {m for m in apps.get_models() if m._meta.app_label in OUR_APPS and not m.__name__.startswith("Historical")}
    for model, model_admin in admin.site._registry.items():
        models.add(model)
        models.update(inline.model for inline in model_admin.inlines)
    return sorted(models, key=lambda m: m._meta.label)


def texts(model):
    """(where, text) of every name a user can read: the model's, its fields', help texts, choices."""
    meta = model._meta
    yield f"{meta.label} verbose_name", meta.verbose_name
    yield f"{meta.label} verbose_name_plural", meta.verbose_name_plural
    for field in meta.get_fields():
        if field.auto_created and not field.concrete or not hasattr(field, "verbose_name"):
            continue  # reverse relations: named by the other model
        where = f"{meta.label}.{field.name}"
        yield f"{where} verbose_name", field.verbose_name
        if field.help_text:
            yield f"{where} help_text", field.help_text
        for value, label in field.flatchoices or ():
            yield f"{where} choice {value!r}", label


def english(text):
    with translation.override("en"):
        return str(text)


def norwegian(text):
    with translation.override("nb"):
        return str(text)


def translated(text, catalogue):
    """A lazy text whose msgid the catalogue holds, or one put together (format_lazy) of such texts
    and of plain parts (units: "{} ({})" of "Albumin" and "g/L")."""
    if english(text) in catalogue:
        return True
    parts = [arg for arg in getattr(text, "_args", ()) if isinstance(arg, Promise)]
    return bool(parts) and all(translated(part, catalogue) for part in parts)


def test_every_name_in_the_admin_comes_from_the_norwegian_catalogue():
    catalogue = trans_real.translation("nb")._catalog
    untranslated = []
    for model in shown_models():
        for where, text in texts(model):
            if isinstance(text, Promise):
                # a plural must be a word of its own: Django's default puts an "s" after the singular
                whole = where.endswith("verbose_name_plural")
                if not (english(text) in catalogue if whole else translated(text, catalogue)):
                    untranslated.append(f"{where}: {english(text)!r} (not in the nb catalogue)")
            elif str(text) not in LITERALS:
                untranslated.append(f"{where}: {text!r} (a plain text, not translatable)")
    assert untranslated == [], "\n".join(untranslated)


def test_the_admin_index_says_protokoller(admin_client_nb):
    text = admin_client_nb.get(reverse("admin:index")).text
    assert "Protokoller" in text and "Protokolls" not in text
    assert ">Endre</a>" in text  # the change links: Django's word, not our language switch's «Bytt»


def visible(response):
    """The page's words: no script, style or markup, and no ``<code>`` (the JSON keys a help text names:
    machine names the pharmacist types as they are, not English words)."""
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<code>.*?</code>", " ", response.text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def english_names():
    """The English names that bokmål words differently (a word the same in both is no sign)."""
    names = set()
    for model in shown_models():
        for _where, text in texts(model):
            en, nb = english(text), norwegian(text)
            if en != nb and len(en) > 3:
                names.update({en, capfirst(en)})
    return names


@pytest.fixture
def admin_client_nb(client, django_user_model, db):
    superuser = django_user_model.objects.create_superuser(username="root", password="x-" * 8)
    client.force_login(superuser)
    verify_second_factor(client, superuser)
    return client


def admin_pages():
    """Every app's page, every model's list and, where the admin offers one, its add page."""
    for model, model_admin in admin.site._registry.items():
        app, name = model._meta.app_label, model._meta.model_name
        yield reverse("admin:app_list", args=[app])
        yield reverse(f"admin:{app}_{name}_changelist")
        if model_admin.has_add_permission.__func__ is admin.ModelAdmin.has_add_permission:  # not ApiToken's
            yield reverse(f"admin:{app}_{name}_add")


@pytest.mark.hazard("HAZ-051")
def test_the_admin_pages_in_bokmal_show_no_english_names(admin_client_nb, django_user_model):
    protocol = stored(code="T-NB")
    user = django_user_model.objects.get(username="root")
    pages = ["/admin/", *dict.fromkeys(admin_pages()),
             reverse("admin:regimens_protocol_change", args=[protocol.pk]),
             reverse("admin:regimens_protocol_history", args=[protocol.pk]),
             reverse("admin:auth_user_change", args=[user.pk])]
    names = english_names()
    found = {}
    for url in pages:
        response = admin_client_nb.get(url)
        assert response.status_code == 200, url
        assert 'lang="nb"' in response.text, url
        text = visible(response)
        hits = sorted(name for name in names if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text))
        if hits:
            found[url] = hits
    assert found == {}, found
