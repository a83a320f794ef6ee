"""Who may open the dashboard and the year-end report of an area: the people who oversee it (police clerk,
standing office, chairman, records clerk, administrator at the area or above). The whole country is for
superusers, who pass every check."""

import rules

from registrations.rules import oversees

rules.add_perm("reports.view_dashboard", oversees)
