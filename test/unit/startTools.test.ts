/**
 * The parts of `npm start`'s tool install that decide things: the environment of the inner npm
 * install (run from inside the outer `npm start`), and which system packages are missing and how
 * they get installed. The install itself is exercised by the fresh-clone stage of `.ci/run`.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { before, describe, it } from "node:test";
import { REPO_ROOT } from "../support/models";

type Env = Record<string, string | undefined>;
interface ToolsModule {
    innerNpmEnv(base: Env, overrides?: Env): Env;
}
interface SystemPackagesModule {
    missingPackages(o: {
        platform?: string;
        exists?: (f: string) => boolean;
        has?: (c: string) => boolean;
    }): string[];
    installPlan(
        packages: string[],
        o: { uid?: number; has?: (c: string) => boolean; sudoWorks?: () => boolean }
    ): { command: string; run: string[][] | undefined };
}

let tools: ToolsModule;
let system: SystemPackagesModule;
before(async () => {
    tools = (await import(
        pathToFileURL(path.join(REPO_ROOT, "scripts", "vscode-test", "tools.mjs")).href
    )) as ToolsModule;
    system = (await import(
        pathToFileURL(path.join(REPO_ROOT, "scripts", "vscode-test", "systemPackages.mjs")).href
    )) as SystemPackagesModule;
});

describe("npm start's tool install", () => {
    it("drops what the outer npm set for its own script, so code-server's install sees the inner Node's version", () => {
        const outer: Env = {
            PATH: "/usr/bin",
            HOME: "/root",
            npm_config_user_agent: "npm/11.19.1 node/v20.20.2 linux x64 workspaces/false",
            npm_node_execpath: "/usr/bin/node",
            npm_execpath: "/usr/lib/node_modules/npm/bin/npm-cli.js",
            npm_config_node_gyp: "/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js",
            npm_config_local_prefix: "/work/project",
            npm_package_name: "apprentice",
            npm_package_engines_node: ">=20",
            npm_lifecycle_event: "start",
            npm_lifecycle_script: "node scripts/start.mjs",
            NODE: "/usr/bin/node",
            INIT_CWD: "/work/project",
            npm_config_registry: "https://registry.example/",
            npm_config_cafile: "/etc/ssl/certs/ca-certificates.crt",
            npm_config_nodedir: "/usr"
        };
        const env = tools.innerNpmEnv(outer, {
            npm_config_nodedir: "/tools/node24",
            PATH: "/tools/node24/bin:/usr/bin"
        });
        for (const key of [
            "npm_config_user_agent",
            "npm_node_execpath",
            "npm_execpath",
            "npm_config_node_gyp",
            "npm_config_local_prefix",
            "npm_package_name",
            "npm_package_engines_node",
            "npm_lifecycle_event",
            "npm_lifecycle_script",
            "NODE",
            "INIT_CWD"
        ]) {
            assert.equal(env[key], undefined, key);
        }
        assert.equal(
            env.npm_config_registry,
            "https://registry.example/",
            "the registry setting stays"
        );
        assert.equal(env.npm_config_cafile, "/etc/ssl/certs/ca-certificates.crt");
        assert.equal(env.npm_config_nodedir, "/tools/node24", "the override wins");
        assert.equal(env.PATH, "/tools/node24/bin:/usr/bin");
        assert.equal(env.HOME, "/root");
        assert.equal(
            outer.npm_config_user_agent?.includes("node/v20"),
            true,
            "the caller's environment is not changed"
        );
    });

    it("finds the Kerberos headers and the build tools missing on a bare Debian", () => {
        const none = system.missingPackages({
            platform: "linux",
            exists: () => false,
            has: () => false
        });
        assert.deepEqual(none, ["libkrb5-dev", "g++", "make", "python3"]);
        const all = system.missingPackages({
            platform: "linux",
            exists: (f) => f === "/usr/include/gssapi/gssapi.h",
            has: (c) => ["g++", "make", "python3"].includes(c)
        });
        assert.deepEqual(all, []);
        const noKrb = system.missingPackages({
            platform: "linux",
            exists: () => false,
            has: (c) => c !== "krb5-config"
        });
        assert.deepEqual(noKrb, ["libkrb5-dev"]);
        assert.deepEqual(
            system.missingPackages({ platform: "darwin", exists: () => false, has: () => false }),
            []
        );
    });

    it("installs with apt-get as root, with password-less sudo otherwise, and else names the one command to run", () => {
        const has = (c: string) => c === "apt-get" || c === "sudo";
        const root = system.installPlan(["libkrb5-dev"], { uid: 0, has });
        assert.deepEqual(root.run?.[0], ["apt-get", "update"]);
        assert.equal(root.run?.[1].at(-1), "libkrb5-dev");
        for (const word of [
            "apt-get",
            "install",
            "-y",
            "--no-install-recommends",
            "DEBIAN_FRONTEND=noninteractive"
        ])
            assert.ok(root.run?.[1].includes(word), word);
        const sudo = system.installPlan(["libkrb5-dev"], { uid: 1000, has, sudoWorks: () => true });
        assert.deepEqual(sudo.run?.[0], ["sudo", "-n", "apt-get", "update"]);
        const person = system.installPlan(["libkrb5-dev", "g++"], {
            uid: 1000,
            has,
            sudoWorks: () => false
        });
        assert.equal(person.run, undefined);
        assert.equal(
            person.command,
            "sudo apt-get update && sudo apt-get install -y libkrb5-dev g++"
        );
        const noApt = system.installPlan(["libkrb5-dev"], { uid: 0, has: () => false });
        assert.equal(noApt.run, undefined);
        assert.match(noApt.command, /libkrb5-dev/);
    });
});
