import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { SecretFileMatcher } from "../../src/shared/secretFiles";

describe("SecretFileMatcher", () => {
    const m = new SecretFileMatcher();
    it("matches the usual secret files by name, path or URI, ignoring case", () => {
        for (const p of [".env", "/repo/.env", "/repo/.env.local", "/repo/prod.env", "C:\\repo\\.ENV", "file:///home/u/.ssh/id_rsa",
            "file:///home/u/.ssh/config", "/k/server.pem", "/k/tls.KEY", "/k/cert.p12", "/home/u/.aws/credentials", "/h/.npmrc",
            "/h/.git-credentials", "file:///repo/secrets.yaml", "file:///repo/gcp-credentials.json", "file:///r/id_ed25519.pub",
            "vscode-remote://ssh-remote+box/home/u/.env.production", "/infra/prod.tfvars", "file:///r/%2Eenv"]) {
            assert.equal(m.isSecret(p), true, p);
        }
    });
    it("does not match ordinary source files", () => {
        for (const p of ["/repo/src/env.ts", "/repo/environment.md", "/repo/keyboard.ts", "/repo/monkey.py", "file:///repo/src/credentials_test.go",
            "untitled:Untitled-1", "/repo/README.md", "/repo/.envelope/x.ts", "/repo/pem.go", "file:///repo/keys.ts"]) {
            assert.equal(m.isSecret(p), false, p);
        }
    });
    it("adds the user's patterns, with ** and {a,b}", () => {
        const custom = new SecretFileMatcher(["*.token", "config/**/prod.{json,yaml}", "  ", "private/"]);
        assert.equal(custom.isSecret("/r/api.token"), true);
        assert.equal(custom.isSecret("/r/config/a/b/prod.yaml"), true);
        assert.equal(custom.isSecret("/r/config/prod.json"), true);
        assert.equal(custom.isSecret("/r/config/dev.json"), false);
        assert.equal(custom.isSecret("/r/src/main.ts"), false);
    });
    it("matches hostile patterns without backtracking (a workspace may add patterns)", () => {
        const m = new SecretFileMatcher([`${"*a".repeat(16)}*b`, `${"**/".repeat(12)}x`, `{${"a,".repeat(40)}b}{${"c,".repeat(40)}d}{e,f}`]);
        assert.equal(m.isSecret(`/r/${"a".repeat(240)}`), false);
        assert.equal(m.isSecret(`/r/${"a".repeat(240)}b`), true);
        assert.equal(m.isSecret(`${"/a".repeat(200)}/y`), false);
        assert.equal(m.isSecret(`${"/a".repeat(200)}/x`), true);
        assert.equal(m.isSecret("/r/ace"), true, "brace choices still expand (up to a bound)");
    });
    it("keeps glob semantics: * and ? stay in a segment, **/ spans folders, case is ignored", () => {
        const m = new SecretFileMatcher(["a?c.txt", "deploy/*.conf", "vault/**/token", "**/x.y", "Ünï.KEYS"]);
        for (const p of ["/r/abc.txt", "/r/ABC.TXT", "/r/deploy/p.conf", "/vault/token", "/r/vault/a/b/token", "x.y", "/q/x.y", "/h/ünï.keys"]) assert.equal(m.isSecret(p), true, p);
        for (const p of ["/r/a/c.txt", "/r/ac.txt", "/r/deploy/a/p.conf", "/r/myvault/token", "/r/vault/tokens", "/r/ax.y", "/h/uni.keys"]) assert.equal(m.isSecret(p), false, p);
    });
});
