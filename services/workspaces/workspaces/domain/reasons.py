"""The catalogue of reason codes a reviewer's findings use: each names what is wrong with a
field of the application, in Simplified Chinese and English, so the merchant reads it next to
the field and the mail lists it in both languages. Kept in code: a new code is a reviewed
change, and the texts travel in the events (no other service keeps a copy)."""

from dataclasses import dataclass

# What a finding may point at: the form's fields, and the business logo beside them.
FINDING_FIELDS = ("role", "company_name", "website", "contact_number", "contact_email", "logo")


@dataclass(frozen=True)
class ReasonCode:
    code: str
    fields: tuple[str, ...]  # the fields a finding with this code may point at
    zh_cn: str
    en: str

    @property
    def texts(self) -> dict[str, str]:
        return {"zh-CN": self.zh_cn, "en": self.en}


_CONTACT = ("contact_number", "contact_email")

REASON_CODES: dict[str, ReasonCode] = {
    reason.code: reason
    for reason in (
        ReasonCode(
            "company_name.mismatch",
            ("company_name",),
            "公司名称与营业执照上的名称不一致",
            "The company name does not match the name on the business licence",
        ),
        ReasonCode(
            "company_name.unclear",
            ("company_name",),
            "公司名称不完整或无法识别，请填写完整的法定名称",
            "The company name is incomplete or unclear: give the full legal name",
        ),
        ReasonCode(
            "website.unreachable",
            ("website",),
            "网站无法访问",
            "The website cannot be reached",
        ),
        ReasonCode(
            "website.unrelated",
            ("website",),
            "网站内容与申请的公司无关",
            "The website's content is not about the applying company",
        ),
        ReasonCode(
            "website.no_icp_filing",
            ("website",),
            "网站未完成 ICP 备案",
            "The website has no ICP filing",
        ),
        ReasonCode(
            "logo.unclear",
            ("logo",),
            "标志图片模糊或无法辨认",
            "The logo is blurred or cannot be made out",
        ),
        ReasonCode(
            "logo.infringing",
            ("logo",),
            "标志可能侵犯他人的商标或版权",
            "The logo may infringe another's trademark or copyright",
        ),
        ReasonCode(
            "contact.unverifiable",
            _CONTACT,
            "无法通过该联系方式联系到申请人",
            "The applicant could not be reached through this contact",
        ),
        ReasonCode(
            "contact.not_company",
            _CONTACT,
            "联系方式不属于申请的公司",
            "The contact does not belong to the applying company",
        ),
        ReasonCode(
            "role.not_eligible",
            ("role",),
            "申请人不符合技术服务商的条件",
            "The applicant does not qualify as a technical merchant",
        ),
        ReasonCode(
            "other",
            FINDING_FIELDS,
            "其他问题（见审核员说明）",
            "Another problem (see the reviewer's message)",
        ),
    )
}
