from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "MyeloPath core"

    def ready(self):
        # Every template that prints an engine message ({{ reason }}) prints it in the reader's
        # language: guidelines.messages.Message.__html__ calls this renderer.
        from django.utils.html import escape

        from core.messages import render
        from guidelines.messages import set_html_renderer

        set_html_renderer(lambda message: escape(render(message)))
