"""The field error codes the accounts service answers beyond the shared ones (the API's
document declares them; the console translates each)."""

from shared.field_errors import FieldCode

PASSWORD_TOO_SHORT = FieldCode("password_too_short", "must be at least {min} characters")
PASSWORD_TOO_LONG = FieldCode("password_too_long", "must be at most {max} characters")
PASSWORD_COMMON = FieldCode(
    "password_common", "is one of the most common passwords; choose another"
)
TERMS_NOT_ACCEPTED = FieldCode(
    "terms_not_accepted", "the Terms of Service must be accepted to sign up"
)
CODE_OR_RECOVERY_CODE = FieldCode(
    "code_or_recovery_code", "give exactly one of code and recovery_code"
)
REFRESH_TOKEN_REQUIRED = FieldCode(
    "refresh_token_required", "required, in the body or as the {cookie} cookie"
)
TOTP_CODE_FORMAT = FieldCode("totp_code_format", "must be six digits from the authenticator app")
SECOND_FACTOR_WRONG = FieldCode("second_factor_wrong", "wrong, or used already")
PASSWORD_WRONG = FieldCode("password_wrong", "is not the account's password")

FIELD_CODES = (
    PASSWORD_TOO_SHORT,
    PASSWORD_TOO_LONG,
    PASSWORD_COMMON,
    TERMS_NOT_ACCEPTED,
    CODE_OR_RECOVERY_CODE,
    REFRESH_TOKEN_REQUIRED,
    TOTP_CODE_FORMAT,
    SECOND_FACTOR_WRONG,
    PASSWORD_WRONG,
)
