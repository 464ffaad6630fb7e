from shared.settings import ServiceSettings


class WorkspacesSettings(ServiceSettings):
    service_name: str = "workspaces"
    http_port: int = 8002
    mongo_database: str = "workspaces"
