"""python -m notifier: serve the API and consume review events (all settings from the env)."""

from notifier.app import create_app
from notifier.settings import NotifierSettings
from shared.runtime import run_service


def main() -> None:
    settings = NotifierSettings()
    run_service(create_app(settings), settings)


if __name__ == "__main__":
    main()
