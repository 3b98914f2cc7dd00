"""Jobs (thin) and delivery: they decide when to call services, and pace the API calls."""
