"""Editorial workflow: status, the second-read rule, permission testers, Desk review and actions."""
