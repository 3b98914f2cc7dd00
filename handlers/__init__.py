"""The Telegram surface: parse the update, call one service, render the reply."""
