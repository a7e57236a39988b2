"""API tests run the real guideline engine (treatment and supportive rules included)."""
