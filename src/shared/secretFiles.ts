/**
 * Files that usually hold secrets, which completion and chat must never send to the model as
 * context (nor show in a prompt). Built-in patterns plus the user's `apprentice.secretFilePatterns`.
 * Patterns are globs: `*` and `?` stay within one path segment, `**` crosses segments, `{a,b}`
 * is a choice. A pattern without `/` matches the file name; one with `/` matches the end of the
 * path. Matching ignores case, so that a secret is never missed on a case-insensitive disk.
 */

export const DEFAULT_SECRET_FILE_PATTERNS: readonly string[] = [
    ".env", ".env.*", "*.env", ".envrc",
    "*.pem", "*.key", "*.p12", "*.pfx", "*.jks", "*.keystore", "*.kdbx", "*.gpg", "*.asc",
    "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*", ".ssh/*",
    "credentials", "credentials.*", "*.credentials", "*credentials*.json", ".aws/credentials", ".aws/config",
    ".git-credentials", ".netrc", "_netrc", ".npmrc", ".pypirc", ".pgpass", ".htpasswd", ".docker/config.json",
    "secrets.*", "*.secret", "*.secrets", "*.tfvars", "*.tfstate", "service-account*.json"
];

export class SecretFileMatcher {
    private readonly nameRules: RegExp[] = [];
    private readonly pathRules: RegExp[] = [];

    constructor(extraPatterns: readonly string[] = []) {
        for (const raw of [...DEFAULT_SECRET_FILE_PATTERNS, ...extraPatterns]) {
            const pattern = raw.trim().replace(/\\/g, "/").replace(/^\.\//, "");
            if (!pattern || pattern.length > 1000) continue;
            if (pattern.includes("/")) this.pathRules.push(new RegExp(`(^|/)${globToRegExp(pattern.replace(/^\/+/, ""))}$`, "i"));
            else this.nameRules.push(new RegExp(`^${globToRegExp(pattern)}$`, "i"));
        }
    }

    /** Whether a file path or URI (`file:///…`, `vscode-remote://…`) names a file that may hold secrets. */
    isSecret(pathOrUri: string): boolean {
        const path = pathOf(pathOrUri);
        if (!path) return false;
        const name = path.slice(path.lastIndexOf("/") + 1);
        return this.nameRules.some((r) => r.test(name)) || this.pathRules.some((r) => r.test(path));
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

/** Translates one glob to a regular expression source (no anchors). */
export function globToRegExp(glob: string): string {
    let out = "";
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === "*") {
            if (glob[i + 1] === "*") {
                i++;
                if (glob[i + 1] === "/") { i++; out += "(?:.*/)?"; } else out += ".*";
            } else out += "[^/]*";
        } else if (c === "?") out += "[^/]";
        else if (c === "{") {
            const end = glob.indexOf("}", i);
            if (end < 0) { out += "\\{"; continue; }
            out += `(?:${glob.slice(i + 1, end).split(",").map(globToRegExp).join("|")})`;
            i = end;
        } else out += c.replace(/[.+^$()|[\]\\]/g, "\\$&");
    }
    return out;
}
