"""python -m workspaces: serve the workspaces API."""

from shared.runtime import run_service
from workspaces.app import create_app
from workspaces.settings import WorkspacesSettings


def main() -> None:
    settings = WorkspacesSettings()
    run_service(create_app(settings), settings)


if __name__ == "__main__":
    main()
