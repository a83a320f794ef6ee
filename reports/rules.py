"""Who may open the dashboard and the year-end report of an area: the people who oversee it (police clerk,
standing office, chairman, records clerk, administrator at the area or above). The whole country is for
superusers, who pass every check."""

import rules

from ansinh.rules import holds_role
from registrations.rules import OVERSEEING_ROLES, oversees

rules.add_perm("reports.view_dashboard", oversees)
# Without an object: the menu entry and the home card of a person who oversees an area somewhere.
rules.add_perm("reports.view_dashboards", holds_role(*OVERSEEING_ROLES))
