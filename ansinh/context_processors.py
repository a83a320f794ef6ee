from ansinh import access
from ansinh.models import Notification
from units.models import Role


def navigation(request):
    """What the menu shows: each role sees the entries for its own work."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = access.roles_of(user)
    return {
        "nav_roles": roles,
        "nav_role_names": sorted({Role(r).label for r in roles}),
        "nav_is_admin": access.is_admin(user),
        "nav_unread": Notification.objects.filter(recipient=user).unread().count(),
    }
