/**
 * A crash loop in a real VS Code: an engine that dies at every start (test hook
 * APPRENTICE_ENGINE_CRASH_ON_START, read from the extension host's environment at each start) is
 * restarted a bounded number of times, then the client stops with a clear message instead of
 * restarting forever; a manual restart without the fault brings the same model back.
 */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import { Commands } from "../../src/extension/commandIds";
import type { ApprenticeApi } from "../../src/extension/api";
import type { ClientStatus } from "../../src/extension/engineClient";
import { apprentice, engineProcesses, testModel, waitForReady, waitForStatus } from "./support";

const HOOK = "APPRENTICE_ENGINE_CRASH_ON_START";

describe("crash loop", () => {
    let api: ApprenticeApi;
    const model = testModel("tiny-fim-random.gguf");

    before(async () => {
        ({ api } = await apprentice());
        await waitForReady(api, model);
    });

    after(async () => {
        delete process.env[HOOK];
        if (api.status.state !== "ready")
            await vscode.commands.executeCommand(Commands.restartEngine);
        await waitForReady(api, model);
    });

    it("ends in a stopped state after a bounded number of restarts, then recovers on a manual restart", async function () {
        this.timeout(240_000);
        const states: ClientStatus["state"][] = [];
        const subscription = api.onDidChangeStatus((s) => states.push(s.state));
        try {
            process.env[HOOK] = "1";
            await vscode.commands.executeCommand(Commands.restartEngine);
            const stopped = await waitForStatus(
                api,
                "the client to give up",
                (s) => s.state === "stopped",
                200_000
            );
            assert.equal(stopped.state, "stopped");
            if (stopped.state === "stopped") assert.match(stopped.message, /stopped 6 times/);
            const crashes = states.filter((s) => s === "crashed").length;
            assert.equal(
                crashes,
                5,
                `five restarts before giving up; states: ${states.join(" → ")}`
            );
            assert.equal(api.status.state, "stopped", "it stays stopped: no endless restart");
            assert.deepEqual(engineProcesses(), [], "no engine process is left running");

            delete process.env[HOOK];
            await vscode.commands.executeCommand(Commands.restartEngine);
            const ready = await waitForReady(api, model);
            assert.equal(ready.model.name, "tiny-fim-random.gguf", "the same model is back");
            assert.deepEqual(engineProcesses(), [api.enginePid]);
        } finally {
            subscription.dispose();
        }
    });
});
