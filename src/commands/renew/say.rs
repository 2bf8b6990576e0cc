//! What `sfjwt renew` prints.

use std::path::Path;

use super::Files;
use crate::bundle::cert::Certificate;
use crate::commands::new::say::date_time;

/// The report of a run: the new certificate, what changes for whom, and what to do next.
pub fn renewed(files: &Files, old: &Certificate, new: &Certificate, out: &Path) -> String {
    let days = (new.not_after - new.not_before).whole_days();
    let (cert, out_shown) = (files.cert.display(), out.display());
    let mut text = format!(
        "sfjwt renew: made {out_shown} from the key {} (key {})\n",
        files.key.display(),
        new.fingerprint()
    );
    text.push_str(&format!(
        "  subject  {} (the same as {cert})\n  serial   {} (was {})\n  valid    {} to {} ({days} days)\n  \
         the old one was valid {} to {}; {cert} is unchanged\n",
        new.subject,
        new.serial,
        old.serial,
        date_time(new.not_before),
        date_time(new.not_after),
        date_time(old.not_before),
        date_time(old.not_after),
    ));
    if !old.self_signed {
        // The old certificate came from a CA; the new one is signed with the key itself.
        text.push_str(&format!(
            "\nNote: {cert} was issued by {}; the renewed certificate is self-signed (signed with \
             the key itself, issuer = subject). Salesforce accepts a self-signed certificate for the \
             JWT Bearer flow, but if your organisation requires certificates from its CA, upload \
             one from the CA instead: make a request from the same key with  openssl req -new -key \
             {} -subj \"/{}\" -out server.csr  and have the CA sign it.\n",
            old.issuer,
            files.key.display(),
            old.subject.replace(", ", "/"),
        ));
    }
    text.push_str(&format!(
        "\nClients need no change: Salesforce verifies their assertions with the certificate's public \
         key, and it is the same ({}).\n\
         Next:\n  \
         1. Check the new certificate:  {}\n  \
         2. In Salesforce: Setup -> Apps -> External Client App Manager, open the app, Settings -> \
         OAuth Settings; under Flow Enablement (Enable JWT Bearer Flow), upload {out_shown} in place \
         of the old certificate, and save.\n  \
         3. After that, replace {cert} with it:  mv {out_shown} {cert}\n",
        new.fingerprint(),
        check_command(files, out),
    ));
    text
}

fn check_command(files: &Files, out: &Path) -> String {
    match &files.dir {
        Some(dir) => format!(
            "sfjwt check {} --next-cert {}",
            dir.display(),
            out.display()
        ),
        None => format!(
            "sfjwt check --key {} --cert {} --next-cert {}",
            files.key.display(),
            files.cert.display(),
            out.display()
        ),
    }
}
