//! app.consumer-key, app.certificate, app.jwt-flow, app.scopes, app.policy, app.introspection:
//! the app side (setup steps 2-4) as its retrieved metadata holds it (`--app-metadata`). The
//! judging is `salesforce::app_metadata::judge`; these read the bundle's inputs for it.

use super::{Check, Docs, Group, Scratch, Skip, require};
use crate::bundle::Bundle;
use crate::bundle::app::AppProblem;
use crate::bundle::cert::decode_certificates;
use crate::context::Context;
use crate::finding::{Judgement, Outcome, Status};
use crate::salesforce::app_metadata::judge::{self, Uploaded};
use crate::salesforce::app_metadata::{AppKind, AppMetadata, Chosen, ChosenBy, NotChosen};
use crate::steps::Step;

const REFERENCES: &[&str] = &[
    "Salesforce Metadata API Developer Guide: ExternalClientApplication, ExtlClntAppGlobalOauthSettings, ExtlClntAppOauthSettings, ExtlClntAppOauthConfigurablePolicies, ExtlClntAppConfigurablePolicies, ConnectedApp (fixtures/app/README.md cites the pages)",
    "reference/setup-guide.txt: steps 2-4",
];

pub static APP_CONSUMER_KEY: Check = Check {
    id: "app.consumer-key",
    title: "App consumer key",
    steps: &[Step::ConsumerKeyAndSecret],
    group: Group::App,
    docs: Docs {
        passes_when: "The app's consumer key, as its retrieved metadata holds it, is the bundle's.",
        what: "Reads the metadata given with --app-metadata (a Salesforce DX project directory walked down, a metadata-format retrieve with package.xml, or single files) and chooses the bundle's app: the one --app or app in sfjwt.toml names, else the only one, else the one whose consumer key is the bundle's. Compares its consumerKey (ExtlClntAppGlobalOauthSettings, or a Connected App's oauthConfig) with the bundle's and names the files read. Metadata that does not read (hostile or broken XML, a zip, no app found, several apps and nothing to choose by) fails here, and the other app checks skip. A consumerSecret in the files warns: it is never shown, and serves token introspection with --live when no other secret is given.",
        why: "Salesforce finds the app by the assertion's iss. A key from another app, or from the same app in another org, gives invalid_client_id (client identifier invalid) or the wrong app's settings.",
        fix: "Copy the Consumer Key from Setup > External Client App Manager (or App Manager) > the app > Settings > OAuth Settings > Consumer Key and Secret into consumer_key in sfjwt.toml; or give the metadata of the bundle's app (--app NAME). Keep files holding consumerSecret out of source control.",
        references: REFERENCES,
    },
    run: run_consumer_key,
};

pub static APP_CERTIFICATE: Check = Check {
    id: "app.certificate",
    title: "Certificate uploaded to the app",
    steps: &[Step::KeyAndCert, Step::App],
    group: Group::App,
    docs: Docs {
        passes_when: "The certificate uploaded to the app, as its retrieved metadata holds it, is the bundle's certificate, or at least carries the key's public key.",
        what: "Decodes the PEM certificate of the app's metadata (certificate in ExtlClntAppGlobalOauthSettings, oauthConfig/certificate of a Connected App) and compares it with the bundle's certificate (the same DER passes) and the private key's public key (another certificate of the same key, such as a renewed one, passes too). Another public key fails, named by both fingerprints. The Setup UI shows only the certificate's subject, so this is the one way to see which certificate is really uploaded.",
        why: "Salesforce verifies the assertion's signature with the uploaded certificate's public key. A different certificate is the classic cause of invalid_grant / invalid assertion.",
        fix: "Upload the bundle's server.crt: Setup > External Client App Manager > the app > Edit Settings > OAuth Settings > Flow Enablement > Enable JWT Bearer Flow (Connected App: App Manager > Edit > Use digital signatures), then retrieve the metadata again.",
        references: REFERENCES,
    },
    run: run_certificate,
};

pub static APP_JWT_FLOW: Check = Check {
    id: "app.jwt-flow",
    title: "JWT Bearer flow enabled",
    steps: &[Step::App],
    group: Group::App,
    docs: Docs {
        passes_when: "OAuth is on, the JWT Bearer flow is enabled and a certificate is uploaded.",
        what: "Reads whether OAuth is on (isOauthPluginEnabled in ExtlClntAppConfigurablePolicies, true unless it says false; a Connected App's oauthConfig) and whether a certificate is uploaded, which is what enables the JWT Bearer flow (the Metadata API: \"When provided, it enables the JWT Bearer flow\").",
        why: "Without a certificate the app has no JWT Bearer flow, and with OAuth off no OAuth flow at all: every assertion is refused whatever else is right.",
        fix: "Setup > External Client App Manager > the app > Edit Settings > OAuth Settings > Flow Enablement > Enable JWT Bearer Flow and upload server.crt (Connected App: Enable OAuth Settings and Use digital signatures).",
        references: REFERENCES,
    },
    run: run_jwt_flow,
};

pub static APP_SCOPES: Check = Check {
    id: "app.scopes",
    title: "App OAuth scopes",
    steps: &[Step::App],
    group: Group::App,
    docs: Docs {
        passes_when: "The app's scopes include api and refresh_token/offline_access (setup step 2).",
        what: "Reads the app's scopes (commaSeparatedOauthScopes of ExtlClntAppOauthSettings, or a Connected App's oauthConfig/scopes), spelled Api, RefreshToken, ... in metadata, and fails when api (or full) or refresh_token (or offline_access) is missing.",
        why: "Without api the token cannot call the APIs; without refresh_token, offline_access Salesforce refuses the JWT grant with \"user hasn't approved this consumer\" or \"refresh_token scope is required\" unless the user approved the app interactively.",
        fix: "Setup > External Client App Manager > the app > Edit Settings > OAuth Settings > OAuth Scopes: add \"Manage user data via APIs (api)\" and \"Perform requests at any time (refresh_token, offline_access)\".",
        references: REFERENCES,
    },
    run: run_scopes,
};

pub static APP_POLICY: Check = Check {
    id: "app.policy",
    title: "App pre-authorization policy",
    steps: &[Step::Policies],
    group: Group::App,
    docs: Docs {
        passes_when: "The app's permitted users are \"Admin approved users are pre-authorized\", with at least one profile or permission set (setup step 4).",
        what: "Reads who may use the app (permittedUsersPolicyType with commaSeparatedProfile and commaSeparatedPermissionSet of ExtlClntAppOauthConfigurablePolicies; a Connected App's isAdminApproved, profileName and permissionSetName) and reports the IP relaxation policy, which the JWT flow ignores.",
        why: "The JWT grant has no user interaction: the user must be pre-authorized through a profile or permission set, else Salesforce answers \"user hasn't approved this consumer\", the most reported JWT failure.",
        fix: "Setup > External Client App Manager > the app > Policies > Edit: Permitted Users \"Admin approved users are pre-authorized\", then select the integration user's profile or a permission set assigned to the user.",
        references: REFERENCES,
    },
    run: run_policy,
};

pub static APP_INTROSPECTION: Check = Check {
    id: "app.introspection",
    title: "Introspect all Tokens",
    steps: &[Step::App],
    group: Group::App,
    docs: Docs {
        passes_when: "The app's \"Introspect all Tokens\" is on (setup step 2), which token introspection needs.",
        what: "Reads isIntrospectAllTokens (ExtlClntAppGlobalOauthSettings, or a Connected App's oauthConfig) and warns when it is off or absent.",
        why: "The JWT login does not need it, but token introspection (sfjwt check --live with a consumer secret, and monitoring that asks whether a token is active) sees the app's tokens only with it on.",
        fix: "Setup > External Client App Manager > the app > Edit Settings > OAuth Settings > Security: Introspect all Tokens.",
        references: REFERENCES,
    },
    run: run_introspection,
};

/// The checks that need the chosen app, pointing at app.consumer-key when there is none.
fn chosen(bundle: &Bundle) -> Result<&Chosen, Skip> {
    require::app(bundle).map_err(|_| Skip::see("no app was read", &APP_CONSUMER_KEY))
}

/// The evidence every app check carries: which app, of which kind.
fn about(out: Outcome, app: &AppMetadata, code: &str) -> Outcome {
    let kind = match app.kind {
        AppKind::ExternalClientApp => "external-client-app",
        AppKind::ConnectedApp => "connected-app",
    };
    out.with("app", app.name.as_str())
        .with("app_kind", kind)
        .with("problem", code)
}

fn judged(j: Judgement, app: &AppMetadata) -> Outcome {
    let code = j.code;
    about(j.into(), app, code)
}

fn run_consumer_key(bundle: &Bundle, _: &Context, _: &mut Scratch) -> Result<Outcome, Skip> {
    let input = bundle
        .app
        .as_ref()
        .ok_or_else(|| Skip::missing(&crate::bundle::inputs::APP_METADATA))?;
    let chosen = match &input.state {
        Ok(chosen) => chosen,
        Err(problem) => {
            return Ok(Outcome::fail(
                format!("{problem} (from {})", input.origin),
                not_read_fix(problem),
            )
            .with("path", input.path.to_string_lossy().into_owned()));
        }
    };
    let app = &chosen.app;
    let key = bundle.consumer_key.as_ref().map(|k| k.value.as_str());
    let mut j = judge::consumer_key(app, key);
    if let Some(secret) = judge::secret_in_files(app) {
        j = combined(j, secret);
    }
    let files: Vec<String> = app
        .files
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .collect();
    j.message = format!("{}; {}", j.message, read_from(chosen, input.path.as_path()));
    let by = match chosen.by {
        ChosenBy::Only => "only",
        ChosenBy::Name => "name",
        ChosenBy::ConsumerKey => "consumer-key",
    };
    Ok(judged(j, app)
        .with("files", files)
        .with("chosen_by", by)
        .with("other_apps", chosen.others.clone()))
}

/// "read from 5 files under PATH (chosen by its consumer key among 2 apps)".
fn read_from(chosen: &Chosen, path: &std::path::Path) -> String {
    let n = chosen.app.files.len();
    let files = if n == 1 { "file" } else { "files" };
    let among = match chosen.by {
        ChosenBy::Only => String::new(),
        ChosenBy::Name => format!(", chosen by name among {} apps", chosen.others.len() + 1),
        ChosenBy::ConsumerKey => format!(
            ", chosen by its consumer key among {} apps",
            chosen.others.len() + 1
        ),
    };
    format!("read from {n} {files} under {}{among}", path.display())
}

/// The key's judgement and the warning about a secret in the files, as one: the worse status,
/// both messages, the fix of the worse.
fn combined(key: Judgement, secret: Judgement) -> Judgement {
    if key.status == Status::Fail {
        let message = format!("{}; also, {}", key.message, secret.message);
        Judgement { message, ..key }
    } else {
        let message = format!("{}; {}", key.message, secret.message);
        Judgement { message, ..secret }
    }
}

fn not_read_fix(problem: &AppProblem) -> String {
    match problem {
        AppProblem::Read(_) => "Give --app-metadata (or app_metadata in sfjwt.toml) the directory that sf project retrieve start wrote (force-app/main/default), an unzipped metadata-format retrieve, or one of the app's -meta.xml files, as Salesforce wrote them.".to_owned(),
        AppProblem::NotChosen(NotChosen::NoApp) => "Retrieve the app first: sf project retrieve start --metadata ExternalClientApplication:NAME ExtlClntAppGlobalOauthSettings ExtlClntAppOauthSettings ExtlClntAppOauthConfigurablePolicies (a Connected App: --metadata ConnectedApp:NAME), then give the directory.".to_owned(),
        AppProblem::NotChosen(_) => "Name the bundle's app with --app NAME or app = \"NAME\" in sfjwt.toml (the name of its .eca or .connectedApp file), or give the bundle its consumer key.".to_owned(),
    }
}

fn run_certificate(bundle: &Bundle, _: &Context, _: &mut Scratch) -> Result<Outcome, Skip> {
    let app = &chosen(bundle)?.app;
    let pem = app
        .certificate_pem
        .as_deref()
        .ok_or_else(|| Skip::see("no certificate is uploaded to the app", &APP_JWT_FLOW))?;
    let cert = require::cert(bundle).ok().map(|f| &f.first);
    let key = require::key(bundle).ok().map(|k| k.spki_der.as_slice());
    if cert.is_none() && key.is_none() {
        return Err(Skip::new(
            "neither the private key nor the certificate read (see key.parse and cert.parse)",
        ));
    }
    let decoded = decode_certificates(pem.as_bytes());
    let uploaded = match &decoded {
        Ok(file) => Uploaded::Read(&file.first),
        Err(e) => Uploaded::Unreadable(e.message()),
    };
    let mut out = judged(judge::certificate(app, uploaded, cert, key), app);
    if let Ok(file) = &decoded {
        let c = &file.first;
        out = out
            .with(
                "uploaded_fingerprint",
                crate::fingerprint::fingerprint(&c.der),
            )
            .with("uploaded_public_key", c.fingerprint())
            .with("uploaded_subject", c.subject.as_str())
            .with("uploaded_not_after", crate::text::rfc3339(c.not_after));
    }
    if let Some(c) = cert {
        out = out.with("cert_fingerprint", crate::fingerprint::fingerprint(&c.der));
    }
    Ok(out)
}

fn run_jwt_flow(bundle: &Bundle, _: &Context, _: &mut Scratch) -> Result<Outcome, Skip> {
    let app = &chosen(bundle)?.app;
    Ok(judged(judge::jwt_flow(app), app))
}

fn run_scopes(bundle: &Bundle, _: &Context, _: &mut Scratch) -> Result<Outcome, Skip> {
    let app = &chosen(bundle)?.app;
    let scopes: Vec<String> = app.scopes.iter().map(|s| judge::oauth_scope(s)).collect();
    Ok(judged(judge::scopes(app), app).with("scopes", scopes))
}

fn run_policy(bundle: &Bundle, _: &Context, _: &mut Scratch) -> Result<Outcome, Skip> {
    let app = &chosen(bundle)?.app;
    let mut out = judged(judge::policy(app), app)
        .with("profiles", app.profiles.clone())
        .with("permission_sets", app.permission_sets.clone());
    if let Some(ip) = &app.ip_relaxation {
        out = out.with("ip_relaxation", ip.as_str());
    }
    Ok(out)
}

fn run_introspection(bundle: &Bundle, _: &Context, _: &mut Scratch) -> Result<Outcome, Skip> {
    let app = &chosen(bundle)?.app;
    Ok(judged(judge::introspection(app), app))
}

static SIGNATURE_CAUSES: [&Check; 2] = [&APP_CERTIFICATE, &APP_JWT_FLOW];
static CLIENT_CAUSES: [&Check; 2] = [&APP_CONSUMER_KEY, &APP_JWT_FLOW];
static APPROVAL_CAUSES: [&Check; 2] = [&APP_POLICY, &APP_SCOPES];
static SCOPE_CAUSES: [&Check; 2] = [&APP_SCOPES, &APP_POLICY];

/// The app checks whose failure explains a refusal of the token endpoint, by catalog id.
fn explaining(catalog_id: &str) -> &'static [&'static Check] {
    use crate::salesforce::errors::ids;
    match catalog_id {
        ids::INVALID_ASSERTION => &SIGNATURE_CAUSES,
        ids::CLIENT_ID_INVALID | ids::APP_NOT_FOUND => &CLIENT_CAUSES,
        ids::USER_NOT_APPROVED | ids::APP_ACCESS_NOT_APPROVED => &APPROVAL_CAUSES,
        ids::REFRESH_SCOPE_REQUIRED => &SCOPE_CAUSES,
        _ => &[],
    }
}

/// For a refusal of the token endpoint (its catalog id), what the retrieved app metadata says
/// about it: the app checks that failed offline for a cause of it, or, when those passed, that
/// the metadata shows none. `None` without app metadata, or for a refusal no app setting explains.
pub fn on_refusal(
    bundle: &Bundle,
    ctx: &Context,
    catalog_id: &str,
) -> Option<(String, Vec<&'static str>)> {
    let checks = explaining(catalog_id);
    if checks.is_empty() || bundle.app.as_ref()?.chosen().is_none() {
        return None;
    }
    let mut scratch = Scratch::default();
    let failed: Vec<&'static str> = checks
        .iter()
        .filter(|c| c.outcome(bundle, ctx, &mut scratch).status == Status::Fail)
        .map(|c| c.id)
        .collect();
    let ids = |list: &[&'static str]| list.join(" and ");
    let sentence = if failed.is_empty() {
        let passed: Vec<&str> = checks.iter().map(|c| c.id).collect();
        format!(
            " The retrieved app metadata shows no cause of it ({} pass): if the metadata is current, the cause is in the org (the user, another app with this key), else retrieve it again.",
            ids(&passed)
        )
    } else {
        format!(
            " The retrieved app metadata explains it: {} failed offline (see {}).",
            ids(&failed),
            if failed.len() == 1 { "it" } else { "them" }
        )
    };
    Some((sentence, failed))
}

#[cfg(test)]
mod tests;
