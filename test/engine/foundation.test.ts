import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import { EngineProcess } from "../support/engineProcess";
import { makeBrokenModels } from "../support/brokenModels";
import { requireModel } from "../support/models";

const TINY = requireModel("tiny-fim-random.gguf");
const SHAPE = requireModel("shape-135m-q8_0.gguf");

describe("engine process: initialize and model state", () => {
    let engine: EngineProcess;
    before(() => {
        engine = EngineProcess.spawn();
    });
    after(async () => {
        await engine.shutdown();
    });

    it("answers initialize and reports ready with the model's facts", async () => {
        const result = await engine.initialize({ modelPath: SHAPE, threads: 1, gpu: "off" });
        assert.equal(result.serverInfo?.name, "apprentice-engine");
        assert.ok(result.capabilities.textDocumentSync, "document sync is advertised");
        // Apprentice's own methods are announced, so that other editors can discover them.
        const methods =
            (
                result.capabilities.experimental as
                    { apprentice?: { methods?: string[] } } | undefined
            )?.apprentice?.methods ?? [];
        for (const method of [
            "apprentice/status/get",
            "apprentice/chat/send",
            "apprentice/chat/prepare",
            "apprentice/completion/stats",
            "apprentice/completion/prefetch",
            "apprentice/models/list",
            "apprentice/backend/check"
        ]) {
            assert.ok(methods.includes(method), `${method} is announced: ${methods.join(", ")}`);
        }
        assert.equal(new Set(methods).size, methods.length, "each once");
        assert.ok(
            methods.every((m) => m.startsWith("apprentice/")),
            "only namespaced methods"
        );
        const ready = await engine.waitForSettled(120_000, 0);
        assert.equal(ready.state, "ready", JSON.stringify(ready));
        if (ready.state !== "ready") return;
        assert.equal(ready.model.name, "shape-135m-q8_0.gguf");
        assert.equal(ready.model.architecture, "llama");
        assert.equal(ready.model.device, "cpu");
        assert.equal(ready.model.threads, 1);
        assert.equal(ready.model.contextSize, 4096);
        assert.equal(ready.model.trainContextSize, 8192);
        assert.equal(ready.model.fim, true);
        assert.equal(ready.model.chatTemplate, true);
        assert.ok(
            engine.statuses.some((s) => s.state === "starting"),
            "starting was reported first"
        );
        assert.ok(
            engine.statuses.some((s) => s.state === "loading"),
            "loading was reported"
        );
    });

    it("answers the status request with the current state", async () => {
        const status = await engine.connection.sendRequest("apprentice/status/get");
        assert.equal((status as { state: string }).state, "ready");
    });

    it("switches models when the settings change, with a new context size", async () => {
        const since = engine.statuses.length;
        await engine.changeSettings({ modelPath: TINY, contextSize: 1024, threads: 1, gpu: "off" });
        const ready = await engine.waitForSettled(60_000, since);
        assert.equal(ready.state, "ready");
        if (ready.state === "ready") {
            assert.equal(ready.model.name, "tiny-fim-random.gguf");
            assert.equal(ready.model.contextSize, 1024);
        }
    });

    it("reports noModel when the path is cleared", async () => {
        const since = engine.statuses.length;
        await engine.changeSettings({ modelPath: "" });
        const status = await engine.waitForSettled(30_000, since);
        assert.equal(status.state, "noModel");
    });
});

describe("engine process: broken model files give clear errors and the engine survives", () => {
    let engine: EngineProcess;
    const corpus = makeBrokenModels(TINY);
    before(async () => {
        engine = EngineProcess.spawn();
        await engine.initialize({ modelPath: "", threads: 1, gpu: "off" });
        await engine.waitForSettled(60_000, 0);
    });
    after(async () => {
        await engine.shutdown();
        corpus.dispose();
    });

    for (const broken of corpus.models) {
        it(`${broken.name} → ${broken.expected}`, async () => {
            const since = engine.statuses.length;
            await engine.changeSettings({ modelPath: broken.path });
            const status = await engine.waitForSettled(60_000, since);
            assert.equal(status.state, "error", JSON.stringify(status));
            if (status.state !== "error") return;
            assert.equal(status.code, broken.expected, status.message);
            assert.equal(status.modelPath, broken.path);
            assert.ok(status.message.length > 10, "the message says what went wrong");
            assert.ok(status.action.length > 10, "the action says what to do");
            assert.equal(engine.exitCode, undefined, "the engine process is still running");
        });
    }

    it("a model too big for the memory budget is refused before loading", async () => {
        const since = engine.statuses.length;
        await engine.changeSettings({ modelPath: SHAPE, memoryBudgetMB: 64 });
        const status = await engine.waitForSettled(60_000, since);
        assert.equal(status.state, "error");
        if (status.state === "error") {
            assert.equal(status.code, "tooBig");
            assert.match(status.message, /MiB/);
        }
        assert.equal(
            engine.statuses.slice(since).some((s) => s.state === "loading" && s.progress > 0),
            false,
            "native loading never started"
        );
    });

    it("then a good file makes it ready again, without a restart", async () => {
        const since = engine.statuses.length;
        await engine.changeSettings({ modelPath: TINY, memoryBudgetMB: 0 });
        const status = await engine.waitForSettled(60_000, since);
        assert.equal(status.state, "ready", JSON.stringify(status));
    });
});

describe("engine process: lifecycle", () => {
    it("exits with code 0 after shutdown and exit", async () => {
        const engine = EngineProcess.spawn();
        await engine.initialize({ modelPath: TINY, threads: 1, gpu: "off" });
        await engine.waitForSettled(60_000, 0);
        assert.equal(await engine.shutdown(), 0);
    });

    it("exits even when shutdown arrives while a model is loading", async () => {
        const engine = EngineProcess.spawn();
        await engine.initialize({ modelPath: SHAPE, threads: 1, gpu: "off" });
        assert.equal(await engine.shutdown(), 0);
    });
});
