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
});
