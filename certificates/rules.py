"""Who may print, revoke and re-issue certificates: the issuing level's records clerk prints, its chairman
prints, revokes and re-issues. Everyone else who sees the decision may read the list of certificates.

Objects: a Decision, or a Certificate (both carry `.issuer`)."""

import rules

from ansinh.access import has_role_at, has_role_over
from ansinh.rules import holds_role
from units.models import Role


@rules.predicate
def clerk_or_chairman_of_issuer(user, obj):
    return obj is not None and has_role_at(user, obj.issuer, Role.RECORDS_CLERK, Role.CHAIRMAN)


@rules.predicate
def chairman_of_issuer(user, obj):
    return obj is not None and has_role_at(user, obj.issuer, Role.CHAIRMAN)


@rules.predicate
def reader_of_issuer(user, obj):
    return obj is not None and (
        has_role_at(user, obj.issuer, Role.CHAIRMAN, Role.RECORDS_CLERK, Role.STEERING_OFFICE)
        or has_role_over(user, obj.issuer, Role.ADMIN)
    )


rules.add_perm("certificates.view", reader_of_issuer)
rules.add_perm("certificates.print", clerk_or_chairman_of_issuer)
rules.add_perm("certificates.revoke", chairman_of_issuer)
rules.add_perm("certificates.reissue", chairman_of_issuer)
# Without an object: the home card and menu of a person who prints or revokes certificates somewhere.
rules.add_perm("certificates.print_certificates", holds_role(Role.RECORDS_CLERK, Role.CHAIRMAN))
rules.add_perm("certificates.revoke_certificates", holds_role(Role.CHAIRMAN))
