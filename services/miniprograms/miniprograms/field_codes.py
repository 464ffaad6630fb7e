"""The field error codes the miniprograms service answers beyond the shared ones (the logo's
are shared with workspaces); the API's document declares them, the console translates each."""

from shared.field_errors import FieldCode

WEIGHTED_LENGTH = FieldCode(
    "weighted_length",
    "must be {min} to {max} characters long, a Chinese character counting as two "
    "(this is {length})",
)
SERVICE_PHONE_FORMAT = FieldCode(
    "service_phone_format", "must look like XXXX-XXXXXXX (4 digits, a hyphen, 7 digits)"
)
UNKNOWN_INDUSTRY = FieldCode("unknown_industry", "is not a code of the industry catalogue")
NAME_TAKEN = FieldCode("name_taken", "another mini program of this workspace has this name")

FIELD_CODES = (WEIGHTED_LENGTH, SERVICE_PHONE_FORMAT, UNKNOWN_INDUSTRY, NAME_TAKEN)
