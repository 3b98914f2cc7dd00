"""One repository per aggregate. Repositories take a session, never commit, return DTOs."""
