from ansinh import access
from ansinh.models import Notification


def navigation(request):
    """The account menu's role names and the unread count; which entries the menu shows is asked of the
    named permissions in the templates."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_role_names": access.role_names(user),
        "nav_unread": Notification.objects.filter(recipient=user).unread().count(),
    }
