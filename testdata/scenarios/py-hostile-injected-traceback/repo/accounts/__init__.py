"""Sign-ups and plans."""
