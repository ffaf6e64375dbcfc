import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { EngineProcess } from "../support/engineProcess";
import { REPO_ROOT, requireModel } from "../support/models";

/** `npm run package` builds a .vsix whose engine runs on its own, with only this platform's CPU binary. */
describe("packaged .vsix", () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "apprentice-vsix-"));
    const vsix = path.join(work, "apprentice.vsix");
    const unpacked = path.join(work, "unpacked");
    before(() => {
        execFileSync(process.execPath, [path.join(REPO_ROOT, "scripts/package.mjs"), "--out", vsix], { cwd: REPO_ROOT, stdio: "pipe" });
        const unzip = spawnSync("unzip", ["-q", vsix, "-d", unpacked]);
        if (unzip.error || unzip.status !== 0) execFileSync("python3", ["-m", "zipfile", "-e", vsix, unpacked]);
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    it("holds the bundles, the manifest and node-llama-cpp, and no source maps", () => {
        const ext = path.join(unpacked, "extension");
        for (const file of ["package.json", "dist/extension.js", "dist/engine.js", "dist/engine.mjs", "node_modules/node-llama-cpp/package.json"]) {
            assert.ok(existsSync(path.join(ext, file)), `${file} is in the package`);
        }
        assert.equal(existsSync(path.join(ext, "dist/extension.js.map")), false);
        assert.equal(existsSync(path.join(ext, "node_modules/vscode-languageclient")), false, "bundled dependencies are not shipped twice");
        assert.equal(existsSync(path.join(ext, "src")), false, "sources are not shipped");
    });

    it("carries only this platform's CPU binary of llama.cpp (no CUDA, no Vulkan)", () => {
        const binaries = readdirSync(path.join(unpacked, "extension/node_modules/@node-llama-cpp"));
        if (process.platform === "linux" && process.arch === "x64") assert.deepEqual(binaries, ["linux-x64"]);
        assert.equal(binaries.some((b) => /cuda|vulkan/.test(b)), false, binaries.join(", "));
        const sizeMiB = statSync(vsix).size / 1024 / 1024;
        assert.ok(sizeMiB < 40, `the package is ${sizeMiB.toFixed(1)} MiB`);
    });

    it("its engine starts from the unpacked extension and loads a model", async () => {
        const engine = EngineProcess.spawn({}, path.join(unpacked, "extension/dist/engine.js"));
        try {
            await engine.initialize({ modelPath: requireModel("tiny-fim-random.gguf"), threads: 1 });
            const status = await engine.waitForSettled(60_000, 0);
            assert.equal(status.state, "ready", JSON.stringify(status));
        } finally {
            await engine.shutdown();
        }
    });
});
