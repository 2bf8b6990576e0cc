//! Command-line definitions. STUB.
