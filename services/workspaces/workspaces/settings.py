from shared.settings import ServiceSettings


class WorkspacesSettings(ServiceSettings):
    service_name: str = "workspaces"
    http_port: int = 8002
    mongo_database: str = "workspaces"
    # How long a reviewer's claim on an application lasts (claiming again extends it): long
    # enough to review one, short enough that a reviewer who left frees it the same hour.
    review_claim_ttl_s: int = 1800
