/**
 * Files that usually hold secrets, which completion and chat must never send to the model as
 * context (nor show in a prompt). Built-in patterns plus the user's `apprentice.secretFilePatterns`.
 * Patterns are globs: `*` and `?` stay within one path segment, `**` crosses segments, `{a,b}`
 * is a choice. A pattern without `/` matches the file name; one with `/` matches the end of the
 * path. Matching ignores case, so that a secret is never missed on a case-insensitive disk.
 */

export const DEFAULT_SECRET_FILE_PATTERNS: readonly string[] = [
    // Environment files (dotenv and its spellings: .env.local, .env-local, .env_prod, prod.env)
    ".env",
    ".env.*",
    ".env-*",
    ".env_*",
    "*.env",
    ".envrc",
    // Keys, certificates with private keys, key stores, password databases
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.pkcs12",
    "*.p8",
    "*.jks",
    "*.keystore",
    "*.bks",
    "*.keytab",
    "*.ppk",
    "*.kdbx",
    "*.kdb",
    "*.gpg",
    "*.pgp",
    "*.asc",
    "*.ovpn",
    "keystore.properties",
    "key.properties",
    // SSH
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".ssh/*",
    "ssh_host_*_key*",
    // Credentials of tools and package registries
    "credentials",
    "credentials.*",
    "*.credentials",
    "*credentials*.json",
    ".git-credentials",
    ".git/config",
    ".netrc",
    "_netrc",
    ".authinfo",
    ".pgpass",
    ".my.cnf",
    ".htpasswd",
    ".vault-token",
    ".npmrc",
    ".yarnrc",
    ".yarnrc.yml",
    ".pypirc",
    ".gem/credentials",
    ".cargo/credentials",
    ".cargo/credentials.toml",
    ".m2/settings.xml",
    ".m2/settings-security.xml",
    ".gradle/gradle.properties",
    ".composer/auth.json",
    ".config/composer/auth.json",
    ".docker/config.json",
    ".dockercfg",
    ".config/gh/hosts.yml",
    ".config/hub",
    ".config/rclone/rclone.conf",
    "sftp-config.json",
    ".ftpconfig",
    "wp-config.php",
    // Cloud and cluster credentials
    ".aws/credentials",
    ".aws/config",
    ".config/gcloud/**",
    "application_default_credentials.json",
    ".azure/**",
    ".oci/config",
    ".boto",
    ".s3cfg",
    ".passwd-s3fs",
    ".terraformrc",
    "terraform.rc",
    ".kube/config",
    "kubeconfig",
    "*.kubeconfig",
    "service-account*.json",
    "*.tfvars",
    "*.tfstate",
    "*.tfstate.*",
    // Secret manifests and files named for secrets; shell and database histories
    "secret.*",
    "secrets.*",
    "*.secret",
    "*.secrets",
    "*{-,_,.}secret.{yaml,yml,json}",
    "*{-,_,.}secrets.{yaml,yml,json}",
    ".*_history"
];

export class SecretFileMatcher {
    private readonly nameRules: GlobToken[][] = [];
    private readonly pathRules: GlobToken[][] = [];
    /** Answers for recent paths: completion asks about the same open files on every keystroke. */
    private readonly answers = new Map<string, boolean>();

    /** `builtIn`: the list the user's patterns are added to (tests check one pattern alone). */
    constructor(
        extraPatterns: readonly string[] = [],
        builtIn: readonly string[] = DEFAULT_SECRET_FILE_PATTERNS
    ) {
        for (const raw of [...builtIn, ...extraPatterns]) {
            const pattern = raw.trim().replace(/\\/g, "/").replace(/^\.\//, "");
            if (!pattern || pattern.length > 1000) continue;
            const anyDepth = pattern.includes("/");
            for (const glob of expandBraces(anyDepth ? pattern.replace(/^\/+/, "") : pattern)) {
                (anyDepth ? this.pathRules : this.nameRules).push(tokenize(glob));
            }
        }
    }

    /** Whether a file path or URI (`file:///…`, `vscode-remote://…`) names a file that may hold secrets. */
    isSecret(pathOrUri: string): boolean {
        const known = this.answers.get(pathOrUri);
        if (known !== undefined) return known;
        const path = pathOf(pathOrUri).toLowerCase();
        const name = path.slice(path.lastIndexOf("/") + 1);
        const secret =
            path !== "" &&
            (this.nameRules.some((r) => globMatches(r, name, false)) ||
                this.pathRules.some((r) => globMatches(r, path, true)));
        if (this.answers.size >= 512) this.answers.clear();
        this.answers.set(pathOrUri, secret);
        return secret;
    }
}

/** The path part of a URI or a plain path, with `/` separators. */
function pathOf(value: string): string {
    const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(value);
    if (!scheme) return value.replace(/\\/g, "/");
    try {
        return decodeURIComponent(new URL(value).pathname);
    } catch {
        return value.slice(scheme[0].length).replace(/\\/g, "/");
    }
}

/** Most patterns one pattern's `{a,b}` choices may expand to (a hostile setting cannot blow up memory). */
const MAX_EXPANSIONS = 256;

/** `a{b,c}d` → `abd`, `acd` (every choice group, left to right; an unclosed `{` is literal). */
export function expandBraces(glob: string): string[] {
    const open = glob.indexOf("{");
    const close = open < 0 ? -1 : glob.indexOf("}", open);
    if (close < 0) return [glob];
    const out: string[] = [];
    for (const choice of glob.slice(open + 1, close).split(",")) {
        for (const rest of expandBraces(glob.slice(close + 1))) {
            if (out.length >= MAX_EXPANSIONS) return out;
            out.push(glob.slice(0, open) + choice + rest);
        }
    }
    return out;
}

/** One step of a glob: a character (lower case), `?`, `*` (within a segment), `**` (across), `**\/` (the gate of an optional `**` + `/`). */
type GlobToken = string | "?" | "*" | "**" | "**/";
const ONE = 0,
    STAR = 1,
    GLOBSTAR = 2,
    GATE = 3;

function tokenize(glob: string): GlobToken[] {
    const tokens: GlobToken[] = [];
    glob = glob.toLowerCase();
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === "*" && glob[i + 1] === "*") {
            i++;
            // `**/` is "nothing, or anything ending in /": a gate that skips or enters `**` then `/`.
            if (glob[i + 1] === "/") {
                i++;
                tokens.push("**/", "**", "/");
            } else tokens.push("**");
        } else if (c === "*" || c === "?") tokens.push(c);
        else tokens.push(c);
    }
    return tokens;
}

function kind(token: GlobToken): number {
    return token === "*" ? STAR : token === "**" ? GLOBSTAR : token === "**/" ? GATE : ONE;
}

/**
 * Whether `tokens` match all of `text` (already lower case) or, with `atAnySegment`, the end of it from
 * the start of any path segment. Runs the glob as a set of states over the text (no backtracking):
 * time grows with text length × pattern length, so no pattern can make it hang.
 */
function globMatches(tokens: readonly GlobToken[], text: string, atAnySegment: boolean): boolean {
    const n = tokens.length;
    let states = new Uint8Array(n + 1);
    let next = new Uint8Array(n + 1);
    /** Adds state `j` and every state reachable from it without reading a character (wildcards matching nothing). */
    const add = (set: Uint8Array, j: number): void => {
        if (j > n || set[j]) return;
        set[j] = 1;
        if (j === n) return;
        const k = kind(tokens[j]);
        if (k === STAR || k === GLOBSTAR) add(set, j + 1);
        else if (k === GATE) {
            add(set, j + 1);
            add(set, j + 3);
        }
    };
    add(states, 0);
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        next.fill(0);
        for (let j = 0; j < n; j++) {
            if (!states[j]) continue;
            const token = tokens[j];
            switch (kind(token)) {
                case ONE:
                    if (token === c || (token === "?" && c !== "/")) add(next, j + 1);
                    break;
                case STAR:
                    if (c !== "/") add(next, j);
                    break;
                case GLOBSTAR:
                    add(next, j);
                    break;
            }
        }
        if (atAnySegment && c === "/") add(next, 0);
        [states, next] = [next, states];
    }
    return states[n] === 1;
}
