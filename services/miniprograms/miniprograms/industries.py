"""The industry catalogue: categories a mini program declares when it is released.

Reference data shipped with the service (it changes with a release, not at run time), so it
is searched in memory. Codes are stable identifiers; the names follow the categories of
China's mini program platforms.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Industry:
    code: str
    name_zh: str
    name_en: str


INDUSTRIES: tuple[Industry, ...] = (
    Industry("retail.general", "零售", "Retail"),
    Industry("retail.supermarket", "超市便利店", "Supermarkets and convenience stores"),
    Industry("retail.fresh_food", "生鲜果蔬", "Fresh produce"),
    Industry("retail.apparel", "服饰鞋包", "Apparel, shoes and bags"),
    Industry("retail.electronics", "数码家电", "Electronics and home appliances"),
    Industry("retail.pharmacy", "药店", "Pharmacies"),
    Industry("food.restaurant", "餐饮", "Restaurants"),
    Industry("food.delivery", "外卖", "Food delivery"),
    Industry("food.tea_coffee", "茶饮咖啡", "Tea and coffee shops"),
    Industry("travel.agency", "旅行社", "Travel agencies"),
    Industry("travel.hotel", "酒店住宿", "Hotels and accommodation"),
    Industry("travel.scenic_spot", "景区门票", "Scenic spots and attractions"),
    Industry("transport.taxi", "出租车网约车", "Taxis and ride hailing"),
    Industry("transport.bike_sharing", "共享单车", "Bike sharing"),
    Industry("transport.public_transit", "公共交通", "Public transit"),
    Industry("transport.parking", "停车服务", "Parking"),
    Industry("transport.car_rental", "汽车租赁", "Car rental"),
    Industry("logistics.express", "快递物流", "Express delivery and logistics"),
    Industry("education.k12", "中小学教育", "K-12 education"),
    Industry("education.training", "职业培训", "Vocational training"),
    Industry("education.online", "在线教育", "Online education"),
    Industry("health.hospital", "医院", "Hospitals"),
    Industry("health.clinic", "诊所", "Clinics"),
    Industry("health.online_consultation", "在线问诊", "Online medical consultation"),
    Industry("finance.insurance", "保险", "Insurance"),
    Industry("finance.securities", "证券", "Securities"),
    Industry("finance.consumer_credit", "消费金融", "Consumer finance"),
    Industry("government.services", "政务服务", "Government services"),
    Industry("government.social_security", "社保医保", "Social and medical insurance"),
    Industry("utilities.bill_payment", "生活缴费", "Utility bill payment"),
    Industry("utilities.telecom", "通信运营商", "Telecom operators"),
    Industry("life.housekeeping", "家政服务", "Housekeeping"),
    Industry("life.beauty", "美容美发", "Beauty and hairdressing"),
    Industry("life.laundry", "洗衣服务", "Laundry"),
    Industry("life.pets", "宠物服务", "Pet services"),
    Industry("life.real_estate", "房产中介", "Real estate agencies"),
    Industry("life.car_service", "汽车服务", "Car maintenance and services"),
    Industry("entertainment.cinema", "电影演出", "Cinema and performances"),
    Industry("entertainment.casual_games", "休闲游戏", "Casual games"),
    Industry("entertainment.sports_fitness", "运动健身", "Sports and fitness"),
    Industry("media.news", "新闻资讯", "News and information"),
    Industry("media.reading", "阅读", "Reading"),
    Industry("tools.productivity", "效率工具", "Productivity tools"),
    Industry("tools.photo", "拍照美化", "Photo editing"),
    Industry("social.community", "社区", "Online communities"),
    Industry("jobs.recruitment", "招聘求职", "Recruitment"),
    Industry("agriculture.farming", "农林牧渔", "Agriculture, forestry and fishing"),
    Industry("charity.public_welfare", "公益", "Charity and public welfare"),
)

_BY_CODE = {industry.code: industry for industry in INDUSTRIES}


def industry(code: str) -> Industry | None:
    return _BY_CODE.get(code)


def search_industries(query: str | None) -> list[Industry]:
    """Industries whose code, Chinese or English name contains the query (any case)."""
    if not query or not query.strip():
        return list(INDUSTRIES)
    needle = query.strip().casefold()
    return [
        i
        for i in INDUSTRIES
        if needle in i.code or needle in i.name_zh or needle in i.name_en.casefold()
    ]
