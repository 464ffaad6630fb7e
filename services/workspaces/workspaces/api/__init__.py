"""HTTP API of the workspaces service: the routes of each side, assembled with how the domain
errors answer."""

from shared.openapi import Api
from workspaces.api import applications, invitations, members, review
from workspaces.api.problems import PROBLEMS

api = Api(
    title="Mini Program Platform: workspaces",
    problems={**PROBLEMS, **invitations.INVITATION_PROBLEMS},
    include=[applications.routes, members.routes, review.routes, invitations.routes],
)
