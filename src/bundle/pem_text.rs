//! Repairing PEM text mangled by copy-paste (literal `\n`, CRLF, BOM, one line with spaces).
//! STUB: to be implemented.
