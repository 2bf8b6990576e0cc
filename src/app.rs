//! Running a command. STUB.
