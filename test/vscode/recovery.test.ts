/** The engine is supervised: a killed engine is restarted, and lifecycle operations never overlap. */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import { Commands } from "../../src/extension/commandIds";
import type { ApprenticeApi } from "../../src/extension/api";
import {
    apprentice,
    engineProcesses,
    isAlive,
    setSetting,
    testModel,
    waitFor,
    waitForReady,
    waitForStatus
} from "./support";

describe("recovery", () => {
    let api: ApprenticeApi;
    const model = testModel("tiny-fim-random.gguf");
    const other = testModel("stories260K.gguf");

    before(async () => {
        ({ api } = await apprentice());
        await setSetting("modelPath", model);
        await waitForReady(api, model);
    });

    after(async () => {
        await setSetting("modelPath", model);
        await waitForReady(api, model);
    });

    it("notices that the engine process was killed and brings it back", async () => {
        const first = api.enginePid;
        assert.ok(first, "the engine has a process id");
        const crashed = waitForStatus(api, "the crash to be noticed", (s) => s.state === "crashed");
        process.kill(first, "SIGKILL");
        await crashed;
        const ready = await waitForReady(api, model);
        assert.equal(ready.model.name, "tiny-fim-random.gguf");
        assert.ok(api.enginePid && api.enginePid !== first, "a new engine process runs");
        assert.equal(isAlive(first), false);
        assert.deepEqual(engineProcesses(), [api.enginePid]);
    });

    it("survives a second kill in a row", async () => {
        const before = api.enginePid!;
        process.kill(before, "SIGKILL");
        await waitFor(
            "a new engine process",
            () =>
                api.enginePid !== undefined &&
                api.enginePid !== before &&
                api.status.state === "ready"
        );
        assert.deepEqual(engineProcesses(), [api.enginePid]);
    });

    it("overlapping restarts leave exactly one engine running", async () => {
        const old = api.enginePid!;
        await Promise.all(
            [1, 2, 3].map(() => vscode.commands.executeCommand(Commands.restartEngine))
        );
        await waitForReady(api, model);
        await waitFor("the old engine to exit", () => !isAlive(old), 10_000);
        assert.deepEqual(
            engineProcesses(),
            [api.enginePid],
            "one engine, and it is the one the client talks to"
        );
    });

    it("applies a model change that arrives while the engine is starting", async () => {
        const starting = waitForStatus(api, "starting", (s) => s.state === "starting");
        const restarted = vscode.commands.executeCommand(Commands.restartEngine);
        await starting;
        await setSetting("modelPath", other);
        await restarted;
        const ready = await waitForReady(api, other);
        assert.equal(ready.model.name, "stories260K.gguf");
        assert.deepEqual(engineProcesses(), [api.enginePid]);
    });
});
