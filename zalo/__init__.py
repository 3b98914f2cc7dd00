"""The Zalo surface: residents send tips, follow them, answer police questions, check scam
indicators and receive advisories through a Zalo bot. Same services as Telegram; only the
conversation differs (numbered text choices instead of inline buttons)."""
