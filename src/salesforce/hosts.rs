//! Classifying the authorization server (login) URL. STUB: to be implemented.
