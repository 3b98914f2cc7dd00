"""Business rules as plain async classes: channel-neutral (no ``telegram`` import), tested
directly. Each call owns one short transaction."""
