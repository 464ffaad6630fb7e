"""python -m miniprograms: serve the mini programs API."""

from miniprograms.app import create_app
from miniprograms.settings import MiniProgramsSettings
from shared.runtime import run_service


def main() -> None:
    settings = MiniProgramsSettings()
    run_service(create_app(settings), settings)


if __name__ == "__main__":
    main()
