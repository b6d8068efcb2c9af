"""The security regression suite: permission matrix, visibility, XSS payloads and limits."""
