"""Examples of the mini programs API's requests and answers, as the OpenAPI document shows
them (tests check that each one is valid for its model)."""

from pydantic.config import JsonDict

WORKSPACE_ID = "b5e2a7d4-6c1f-5a83-8e0b-4d9c2f7a1e65"
MINI_PROGRAM_ID = "5a0e9c7b-3d2f-4b18-9f6a-e1c4b7d28a50"
OWNER_ID = "3f2b8c1e-9a4d-4e7b-b6a2-5c0d8e1f7a93"
DEVELOPER_ID = "c7a9e3b1-5d2f-4e68-a0c4-9b8d6e2f1a37"

# The text fields of the multipart form (the file part `logo` is the image itself).
FORM: JsonDict = {
    "workspace_id": WORKSPACE_ID,
    "target": "alipay_cn",
    "name": "小橙点餐",
    "tagline": "两步下单，午餐准时送到",
    "description": "小橙点餐帮助杭州的上班族从附近餐厅订午餐，两步下单，准时送到办公室。",
    "industry": "food.restaurant",
    "service_phone": "0571-8888888",
    "service_email": "service@xiaocheng-tech.cn",
}
QUOTA: JsonDict = {"used": 3, "limit": 10}
MINI_PROGRAM: JsonDict = {
    "id": MINI_PROGRAM_ID,
    **FORM,
    "language": "zh-CN",
    "logo_url": f"/v1/mini-programs/{MINI_PROGRAM_ID}/logo",
    "created_by": OWNER_ID,
    "created_at": "2026-11-05T09:12:00Z",
    "updated_at": "2026-11-07T16:40:00Z",
}
MINI_PROGRAM_WITH_QUOTA: JsonDict = {**MINI_PROGRAM, "quota": QUOTA}
PAGE: JsonDict = {"items": [MINI_PROGRAM], "quota": QUOTA}
INDUSTRY: JsonDict = {"code": "food.restaurant", "name_zh": "餐饮", "name_en": "Restaurants"}
INDUSTRIES: JsonDict = {
    "items": [
        INDUSTRY,
        {"code": "food.delivery", "name_zh": "外卖", "name_en": "Food delivery"},
    ]
}
DEVELOPERS: JsonDict = {"items": [{"account_id": DEVELOPER_ID}]}
