//! The shapes of usernames, consumer keys and consumer secrets. STUB: to be implemented.
