from django.core.management.base import BaseCommand, CommandError

from regimens.loader import PROTOCOL_DIR, ProtocolFileError, load_protocols


class Command(BaseCommand):
    help = "Load regimens/protocols/*.yaml into the database (new protocols and new versions; never overwrites)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(PROTOCOL_DIR), help="folder of protocol YAML files")

    def handle(self, *args, directory, **options):
        try:
            results = load_protocols(directory)
        except ProtocolFileError as exc:
            raise CommandError(str(exc)) from exc
        if not results:
            self.stdout.write(f"No protocol files in {directory}.")
        for item in results:
            self.stdout.write(str(item))
        counts = {}
        for item in results:
            counts[item.action] = counts.get(item.action, 0) + 1
        if results:
            self.stdout.write(", ".join(f"{n} {action}" for action, n in sorted(counts.items())))
