import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { DEFAULT_SECRET_FILE_PATTERNS, SecretFileMatcher } from "../../src/shared/secretFiles";

describe("SecretFileMatcher", () => {
    const m = new SecretFileMatcher();
    it("matches the usual secret files by name, path or URI, ignoring case", () => {
        for (const p of [
            ".env",
            "/repo/.env",
            "/repo/.env.local",
            "/repo/prod.env",
            "C:\\repo\\.ENV",
            "file:///home/u/.ssh/id_rsa",
            "file:///home/u/.ssh/config",
            "/k/server.pem",
            "/k/tls.KEY",
            "/k/cert.p12",
            "/home/u/.aws/credentials",
            "/h/.npmrc",
            "/h/.git-credentials",
            "file:///repo/secrets.yaml",
            "file:///repo/gcp-credentials.json",
            "file:///r/id_ed25519.pub",
            "vscode-remote://ssh-remote+box/home/u/.env.production",
            "/infra/prod.tfvars",
            "file:///r/%2Eenv"
        ]) {
            assert.equal(m.isSecret(p), true, p);
        }
    });
    it("does not match ordinary source files", () => {
        for (const p of [
            "/repo/src/env.ts",
            "/repo/environment.md",
            "/repo/keyboard.ts",
            "/repo/monkey.py",
            "file:///repo/src/credentials_test.go",
            "untitled:Untitled-1",
            "/repo/README.md",
            "/repo/.envelope/x.ts",
            "/repo/pem.go",
            "file:///repo/keys.ts"
        ]) {
            assert.equal(m.isSecret(p), false, p);
        }
    });
    it("adds the user's patterns, with ** and {a,b}", () => {
        const custom = new SecretFileMatcher([
            "*.token",
            "config/**/prod.{json,yaml}",
            "  ",
            "private/"
        ]);
        assert.equal(custom.isSecret("/r/api.token"), true);
        assert.equal(custom.isSecret("/r/config/a/b/prod.yaml"), true);
        assert.equal(custom.isSecret("/r/config/prod.json"), true);
        assert.equal(custom.isSecret("/r/config/dev.json"), false);
        assert.equal(custom.isSecret("/r/src/main.ts"), false);
    });
    it("matches hostile patterns without backtracking (a workspace may add patterns)", () => {
        const m = new SecretFileMatcher([
            `${"*a".repeat(16)}*b`,
            `${"**/".repeat(12)}x`,
            `{${"a,".repeat(40)}b}{${"c,".repeat(40)}d}{e,f}`
        ]);
        assert.equal(m.isSecret(`/r/${"a".repeat(240)}`), false);
        assert.equal(m.isSecret(`/r/${"a".repeat(240)}b`), true);
        assert.equal(m.isSecret(`${"/a".repeat(200)}/y`), false);
        assert.equal(m.isSecret(`${"/a".repeat(200)}/x`), true);
        assert.equal(m.isSecret("/r/ace"), true, "brace choices still expand (up to a bound)");
    });
    it("keeps glob semantics: * and ? stay in a segment, **/ spans folders, case is ignored", () => {
        const m = new SecretFileMatcher([
            "a?c.txt",
            "deploy/*.conf",
            "vault/**/token",
            "**/x.y",
            "Ünï.KEYS"
        ]);
        for (const p of [
            "/r/abc.txt",
            "/r/ABC.TXT",
            "/r/deploy/p.conf",
            "/vault/token",
            "/r/vault/a/b/token",
            "x.y",
            "/q/x.y",
            "/h/ünï.keys"
        ])
            assert.equal(m.isSecret(p), true, p);
        for (const p of [
            "/r/a/c.txt",
            "/r/ac.txt",
            "/r/deploy/a/p.conf",
            "/r/myvault/token",
            "/r/vault/tokens",
            "/r/ax.y",
            "/h/uni.keys"
        ])
            assert.equal(m.isSecret(p), false, p);
    });
});

/**
 * Every built-in pattern with real paths where such files live (Linux, macOS and Windows homes,
 * project folders, remote URIs), and near-miss paths of ordinary files that must stay usable.
 */
const REAL_SECRET_PATHS: Record<string, string[]> = {
    ".env": ["/home/ana/shop/.env", "file:///Users/ana/shop/.env"],
    ".env.*": [
        "/home/ana/shop/.env.local",
        "/srv/app/.env.production",
        "C:\\Users\\ana\\shop\\.env.development.local"
    ],
    ".env-*": ["/home/ana/shop/.env-local", "/srv/app/.env-prod"],
    ".env_*": ["/home/ana/shop/.env_prod", "/srv/app/.env_staging"],
    "*.env": ["/home/ana/shop/config/prod.env", "/srv/app/docker/db.env"],
    ".envrc": ["/home/ana/shop/.envrc"],
    "*.pem": ["/etc/ssl/private/server.pem", "/home/ana/Downloads/aws-ec2.pem"],
    "*.key": ["/etc/ssl/private/tls.key", "/home/ana/app/config/master.key"],
    "*.p12": ["/Users/ana/Documents/apple-dist.p12"],
    "*.pfx": ["C:\\Users\\ana\\certs\\codesign.pfx"],
    "*.pkcs12": ["/home/ana/certs/client.pkcs12"],
    "*.p8": ["/Users/ana/keys/AuthKey_ABC123.p8"],
    "*.jks": ["/home/ana/android/release.jks"],
    "*.keystore": ["/home/ana/android/app/release.keystore", "/home/ana/.android/debug.keystore"],
    "*.bks": ["/home/ana/android/app/src/main/res/raw/truststore.bks"],
    "*.keytab": ["/etc/krb5.keytab", "/home/ana/svc/http.keytab"],
    "*.ppk": ["C:\\Users\\ana\\Documents\\putty\\server.ppk", "/home/ana/keys/prod.ppk"],
    "*.kdbx": ["/home/ana/Documents/Passwords.kdbx"],
    "*.kdb": ["/home/ana/Documents/old.kdb"],
    "*.gpg": ["/home/ana/.password-store/email/work.gpg"],
    "*.pgp": ["/home/ana/keys/private.pgp"],
    "*.asc": ["/home/ana/keys/secret-key.asc"],
    "*.ovpn": ["/home/ana/vpn/office.ovpn"],
    "keystore.properties": ["/home/ana/android/keystore.properties"],
    "key.properties": ["/home/ana/flutter_app/android/key.properties"],
    "id_rsa*": [
        "/home/ana/.ssh/id_rsa",
        "/home/ana/backup/id_rsa.pub",
        "C:\\Users\\ana\\.ssh\\id_rsa"
    ],
    "id_dsa*": ["/home/ana/old/id_dsa"],
    "id_ecdsa*": ["/home/ana/keys/id_ecdsa"],
    "id_ed25519*": ["/home/ana/keys/id_ed25519", "file:///r/id_ed25519.pub"],
    ".ssh/*": [
        "/home/ana/.ssh/config",
        "/home/ana/.ssh/known_hosts",
        "vscode-remote://ssh-remote+box/home/ana/.ssh/authorized_keys"
    ],
    "ssh_host_*_key*": ["/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key.pub"],
    credentials: ["/home/ana/project/credentials"],
    "credentials.*": [
        "/home/ana/rails/config/credentials.yml.enc",
        "/home/ana/app/credentials.json"
    ],
    "*.credentials": ["/home/ana/app/db.credentials"],
    "*credentials*.json": [
        "/home/ana/app/gcp-credentials.json",
        "/home/ana/.dbeaver/credentials-config.json",
        "/home/ana/.terraform.d/credentials.tfrc.json"
    ],
    ".git-credentials": ["/home/ana/.git-credentials"],
    ".git/config": ["/home/ana/shop/.git/config", "file:///c%3A/Users/ana/shop/.git/config"],
    ".netrc": ["/home/ana/.netrc"],
    _netrc: ["C:\\Users\\ana\\_netrc"],
    ".authinfo": ["/home/ana/.authinfo"],
    ".pgpass": ["/home/ana/.pgpass"],
    ".my.cnf": ["/home/ana/.my.cnf"],
    ".htpasswd": ["/var/www/site/.htpasswd"],
    ".vault-token": ["/home/ana/.vault-token"],
    ".npmrc": ["/home/ana/.npmrc", "/home/ana/shop/.npmrc"],
    ".yarnrc": ["/home/ana/.yarnrc"],
    ".yarnrc.yml": ["/home/ana/shop/.yarnrc.yml"],
    ".pypirc": ["/home/ana/.pypirc"],
    ".gem/credentials": ["/home/ana/.gem/credentials"],
    ".cargo/credentials": ["/home/ana/.cargo/credentials"],
    ".cargo/credentials.toml": ["/home/ana/.cargo/credentials.toml"],
    ".m2/settings.xml": ["/home/ana/.m2/settings.xml"],
    ".m2/settings-security.xml": ["/home/ana/.m2/settings-security.xml"],
    ".gradle/gradle.properties": ["/home/ana/.gradle/gradle.properties"],
    ".composer/auth.json": ["/home/ana/.composer/auth.json"],
    ".config/composer/auth.json": ["/home/ana/.config/composer/auth.json"],
    ".docker/config.json": ["/home/ana/.docker/config.json"],
    ".dockercfg": ["/home/ana/.dockercfg"],
    ".config/gh/hosts.yml": ["/home/ana/.config/gh/hosts.yml"],
    ".config/hub": ["/home/ana/.config/hub"],
    ".config/rclone/rclone.conf": ["/home/ana/.config/rclone/rclone.conf"],
    "sftp-config.json": ["/home/ana/site/sftp-config.json"],
    ".ftpconfig": ["/home/ana/site/.ftpconfig"],
    "wp-config.php": ["/var/www/blog/wp-config.php"],
    ".aws/credentials": ["/home/ana/.aws/credentials", "C:\\Users\\ana\\.aws\\credentials"],
    ".aws/config": ["/home/ana/.aws/config"],
    ".config/gcloud/**": [
        "/home/ana/.config/gcloud/legacy_credentials/ana@example.com/adc.json",
        "/home/ana/.config/gcloud/access_tokens.db"
    ],
    "application_default_credentials.json": [
        "/home/ana/.config/gcloud/application_default_credentials.json",
        "/tmp/application_default_credentials.json"
    ],
    ".azure/**": [
        "/home/ana/.azure/msal_token_cache.json",
        "/home/ana/.azure/azureProfile.json",
        "C:\\Users\\ana\\.azure\\accessTokens.json"
    ],
    ".oci/config": ["/home/ana/.oci/config"],
    ".boto": ["/home/ana/.boto"],
    ".s3cfg": ["/home/ana/.s3cfg"],
    ".passwd-s3fs": ["/home/ana/.passwd-s3fs"],
    ".terraformrc": ["/home/ana/.terraformrc"],
    "terraform.rc": ["C:\\Users\\ana\\AppData\\Roaming\\terraform.rc"],
    ".kube/config": ["/home/ana/.kube/config", "C:\\Users\\ana\\.kube\\config"],
    kubeconfig: ["/home/ana/cluster/kubeconfig"],
    "*.kubeconfig": ["/home/ana/cluster/prod.kubeconfig"],
    "service-account*.json": [
        "/home/ana/app/service-account.json",
        "/home/ana/app/service-account-prod.json"
    ],
    "*.tfvars": ["/infra/prod.tfvars", "/infra/secrets.auto.tfvars"],
    "*.tfstate": ["/infra/terraform.tfstate"],
    "*.tfstate.*": ["/infra/terraform.tfstate.backup"],
    "secret.*": ["/home/ana/k8s/secret.yaml", "/home/ana/app/secret.json"],
    "secrets.*": ["file:///repo/secrets.yaml", "/home/ana/app/config/secrets.toml"],
    "*.secret": ["/home/ana/app/jwt.secret"],
    "*.secrets": ["/home/ana/app/ci.secrets"],
    "*{-,_,.}secret.{yaml,yml,json}": [
        "/home/ana/k8s/db-secret.yaml",
        "/home/ana/k8s/tls_secret.yml",
        "/home/ana/k8s/app.secret.json"
    ],
    "*{-,_,.}secrets.{yaml,yml,json}": [
        "/home/ana/helm/values-secrets.yaml",
        "/home/ana/k8s/prod_secrets.yml"
    ],
    ".*_history": [
        "/home/ana/.bash_history",
        "/home/ana/.zsh_history",
        "/home/ana/.psql_history",
        "/home/ana/.mysql_history"
    ]
};

/** Ordinary files beside those, with names close to a pattern: they stay usable as context. */
const ORDINARY_PATHS = [
    "/home/ana/shop/src/env.ts",
    "/home/ana/shop/src/environment.ts",
    "/home/ana/shop/.environment/index.ts",
    "/home/ana/shop/.envelope.js",
    "/home/ana/shop/src/keyboard.ts",
    "/home/ana/shop/src/keys.ts",
    "/home/ana/shop/src/keystore.ts",
    "/home/ana/shop/src/pem.go",
    "/home/ana/shop/src/secretFiles.ts",
    "/home/ana/shop/docs/secret-santa.md",
    "/home/ana/shop/src/secrets_test.go",
    "/home/ana/shop/src/credentials_test.go",
    "/home/ana/shop/.gitignore",
    "/home/ana/shop/.git/HEAD",
    "/home/ana/shop/.github/workflows/ci.yml",
    "/home/ana/shop/.gitconfig.example.md",
    "/home/ana/shop/kube/config.go",
    "/home/ana/shop/src/config.ts",
    "/home/ana/shop/settings.xml",
    "/home/ana/shop/gradle.properties",
    "/home/ana/shop/src/history.ts",
    "/home/ana/shop/src/bash_history.ts",
    "/home/ana/shop/package.json",
    "/home/ana/shop/yarn.lock",
    "/home/ana/shop/src/auth.json.ts",
    "/home/ana/shop/src/azure/client.ts",
    "/home/ana/shop/src/gcloud/storage.ts",
    "/home/ana/shop/src/key.ts",
    "/home/ana/shop/src/secretary.ts",
    "/home/ana/shop/terraform/main.tf",
    "/home/ana/shop/README.md"
];

describe("SecretFileMatcher: the built-in list against real paths", () => {
    const m = new SecretFileMatcher();
    it("every built-in pattern has real paths here, and each of them is recognised", () => {
        const patterns = [...DEFAULT_SECRET_FILE_PATTERNS].sort();
        assert.deepEqual(
            Object.keys(REAL_SECRET_PATHS).sort(),
            patterns,
            "each pattern in secretFiles.ts has examples in this table (and no example is for a removed pattern)"
        );
        for (const [pattern, paths] of Object.entries(REAL_SECRET_PATHS)) {
            const only = new SecretFileMatcher([], [pattern]);
            for (const p of paths) {
                assert.equal(m.isSecret(p), true, `${p} (${pattern})`);
                assert.equal(only.isSecret(p), true, `${p} is matched by ${pattern} itself`);
            }
        }
    });
    it("the files the issue found sent to a remote backend are all secret now", () => {
        for (const p of [
            "/r/.env-local",
            "/r/.env_prod",
            "/r/server.ppk",
            "/home/u/.kube/config",
            "/home/u/.config/gh/hosts.yml",
            "/r/.git/config",
            "/r/.yarnrc.yml",
            "/home/u/.vault-token",
            "/r/k8s/secret.yaml",
            "/home/u/.netrc",
            "/home/u/.pgpass",
            "/r/a.keystore",
            "/r/a.jks"
        ]) {
            assert.equal(m.isSecret(p), true, p);
        }
    });
    it("ordinary files with similar names are not secret", () => {
        for (const p of ORDINARY_PATHS) assert.equal(m.isSecret(p), false, p);
    });
});
