"""The field error codes the workspaces service answers beyond the shared ones (the API's
document declares them; the console translates each)."""

from shared.field_errors import FieldCode

PHONE_FORMAT = FieldCode(
    "phone_format", "must be a phone number (digits, spaces, +, -, parentheses)"
)
APPLICANT_ROLE_ONLY = FieldCode("applicant_role_only", "only {role} can apply for a workspace")
REASON_REQUIRED = FieldCode("reason_required", "is required to reject (1 to {max} characters)")
UNKNOWN_ACCOUNT = FieldCode("unknown_account", "no account has this email")
# A rejection's findings.
FINDINGS_ONLY_ON_REJECT = FieldCode("findings_only_on_reject", "only a rejection has findings")
UNKNOWN_REASON_CODE = FieldCode(
    "unknown_reason_code", "is not a code of GET /v1/review/reason-codes"
)
NOT_A_FORM_FIELD = FieldCode(
    "not_a_form_field", "must be a field of the application form: {fields}"
)
REASON_NOT_FOR_FIELD = FieldCode("reason_not_for_field", "{code} applies to {fields}")
MESSAGE_REQUIRED_FOR_OTHER = FieldCode(
    "message_required_for_other", "is required with the code other (say what is wrong)"
)

FIELD_CODES = (
    PHONE_FORMAT,
    APPLICANT_ROLE_ONLY,
    REASON_REQUIRED,
    UNKNOWN_ACCOUNT,
    FINDINGS_ONLY_ON_REJECT,
    UNKNOWN_REASON_CODE,
    NOT_A_FORM_FIELD,
    REASON_NOT_FOR_FIELD,
    MESSAGE_REQUIRED_FOR_OTHER,
)
