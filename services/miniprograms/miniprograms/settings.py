from shared.settings import ServiceSettings


class MiniProgramsSettings(ServiceSettings):
    service_name: str = "miniprograms"
    http_port: int = 8003
    mongo_database: str = "miniprograms"
