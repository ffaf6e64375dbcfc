/**
 * Broken model files generated from a good GGUF: each one gets a clear error status before native
 * code can crash on it, the engine process never dies, and a good model loads again afterwards.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { GGML_TYPE_SIZES } from "../../src/engine/modelHost/ggufStructure";
import { corruptCorpus } from "../support/corruptGguf";
import { ENGINE_JS, EngineProcess } from "../support/engineProcess";
import { requireModel } from "../support/models";

const GOOD = requireModel("stories260K.gguf");
const KNOWN_CODES = new Set([
    "fileNotFound",
    "notAFile",
    "unreadable",
    "notGguf",
    "corrupt",
    "truncated",
    "unsupportedArchitecture",
    "tooBig",
    "loadFailed"
]);

describe("corrupt model corpus: clear errors, no crash, recovery", () => {
    let engine: EngineProcess;
    const dir = mkdtempSync(path.join(os.tmpdir(), "apprentice-corrupt-"));
    const corpus = corruptCorpus(readFileSync(GOOD));
    const tally = { cases: 0, byCode: {} as Record<string, number>, recoveries: 0 };

    before(async () => {
        engine = EngineProcess.spawn();
        await engine.initialize({ modelPath: "", threads: 1, gpu: "off", contextSize: 256 });
        await engine.waitForSettled(60_000, 0);
    });
    after(async () => {
        console.log(
            `corrupt models: ${tally.cases} files tried, codes ${JSON.stringify(tally.byCode)}, ${tally.recoveries} recoveries to ready, engine exit code ${engine.exitCode ?? "(still running)"}`
        );
        await engine.shutdown();
        rmSync(dir, { recursive: true, force: true });
    });

    async function expectError(
        file: string,
        expected: readonly string[],
        label: string
    ): Promise<void> {
        const since = engine.statuses.length;
        await engine.changeSettings({ modelPath: file });
        const status = await engine.waitForSettled(60_000, since);
        tally.cases++;
        assert.equal(engine.exitCode, undefined, `${label}: the engine is still running`);
        assert.equal(status.state, "error", `${label}: ${JSON.stringify(status)}`);
        if (status.state !== "error") return;
        tally.byCode[status.code] = (tally.byCode[status.code] ?? 0) + 1;
        assert.ok(KNOWN_CODES.has(status.code));
        assert.ok(
            expected.includes(status.code),
            `${label}: got ${status.code} (${status.message}), expected one of ${expected.join(", ")}`
        );
        assert.ok(
            status.message.includes(path.basename(file)) ||
                (status.code === "loadFailed" && status.message.includes(file)),
            `${label}: the message names the file: ${status.message}`
        );
        assert.ok(status.action.length > 10, `${label}: the action says what to do`);
    }

    async function expectRecovery(): Promise<void> {
        const since = engine.statuses.length;
        await engine.changeSettings({ modelPath: GOOD });
        const status = await engine.waitForSettled(60_000, since);
        assert.equal(status.state, "ready", JSON.stringify(status));
        tally.recoveries++;
    }

    it(`has more than 100 generated cases (${corpus.length})`, () => {
        assert.ok(corpus.length > 100, String(corpus.length));
    });

    it("every generated broken file gets a clear error, and good models load in between", async () => {
        for (let i = 0; i < corpus.length; i++) {
            const file = path.join(dir, `case-${i}.gguf`);
            writeFileSync(file, corpus[i].bytes());
            await expectError(file, corpus[i].expected, corpus[i].name);
            rmSync(file);
            if (i % 40 === 39) await expectRecovery();
        }
        await expectRecovery();
    });

    it("a zero-length file, a directory and a file without read permission", async () => {
        const empty = path.join(dir, "empty.gguf");
        writeFileSync(empty, "");
        await expectError(empty, ["notGguf"], "empty");
        await expectError(dir, ["notAFile"], "directory");
        const locked = path.join(dir, "locked.gguf");
        writeFileSync(locked, readFileSync(GOOD));
        chmodSync(locked, 0o000);
        // root reads any file: as root this case runs in its own engine started as `nobody` (below).
        if (process.getuid?.() !== 0)
            await expectError(locked, ["unreadable"], "no read permission");
        await expectRecovery();
    });

    it("a file without read permission, meeting the engine as a normal user (nobody) does", async (t) => {
        if (process.getuid?.() !== 0) {
            t.skip("covered by the previous test: this user already meets file permissions");
            return;
        }
        const nobody = { uid: 65534, gid: 65534 };
        const reachable = spawnSync(
            process.execPath,
            [
                "-e",
                `require("fs").accessSync(${JSON.stringify(ENGINE_JS)}, require("fs").constants.R_OK)`
            ],
            { ...nobody }
        );
        if (reachable.status !== 0) {
            assert.notEqual(
                process.env.CI,
                "true",
                `in CI the engine must be readable by nobody for this case: ${reachable.stderr}`
            );
            t.skip(`nobody cannot read ${ENGINE_JS} from this checkout`);
            return;
        }
        const home = mkdtempSync(path.join(os.tmpdir(), "apprentice-nobody-"));
        chmodSync(home, 0o777);
        chmodSync(dir, 0o755);
        const locked = path.join(dir, "locked-nobody.gguf");
        writeFileSync(locked, readFileSync(GOOD));
        chmodSync(locked, 0o000);
        const asNobody = EngineProcess.spawn({ HOME: home }, ENGINE_JS, nobody);
        try {
            await asNobody.initialize({
                modelPath: locked,
                threads: 1,
                gpu: "off",
                contextSize: 256
            });
            const status = await asNobody.waitForSettled(180_000, 0);
            tally.cases++;
            assert.equal(status.state, "error", JSON.stringify(status));
            if (status.state === "error") {
                tally.byCode[status.code] = (tally.byCode[status.code] ?? 0) + 1;
                assert.equal(status.code, "unreadable", status.message);
                assert.ok(status.message.includes("locked-nobody.gguf"), status.message);
                assert.match(status.action, /permission/i);
            }
            const since = asNobody.statuses.length;
            await asNobody.changeSettings({ modelPath: GOOD });
            assert.equal((await asNobody.waitForSettled(180_000, since)).state, "ready");
            tally.recoveries++;
            assert.equal(asNobody.exitCode, undefined, "the engine is still running");
        } finally {
            await asNobody.shutdown();
            rmSync(home, { recursive: true, force: true });
        }
    });

    it("the ggml tensor type table matches the bundled llama.cpp", async () => {
        const { getLlama } = await import("node-llama-cpp");
        const llama = await getLlama({ gpu: false, build: "never", skipDownload: true });
        const bindings = (
            llama as unknown as {
                _bindings: {
                    getTypeSizeForGgmlType(t: number): number | undefined;
                    getBlockSizeForGgmlType(t: number): number | undefined;
                };
            }
        )._bindings;
        for (let type = 0; type < GGML_TYPE_SIZES.length; type++) {
            assert.deepEqual(
                [bindings.getTypeSizeForGgmlType(type), bindings.getBlockSizeForGgmlType(type)],
                [...GGML_TYPE_SIZES[type]],
                `ggml type ${type}`
            );
        }
        await llama.dispose();
    });
});
