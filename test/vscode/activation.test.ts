/** The extension activates in a real VS Code, registers what package.json promises, and follows its model setting. */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as vscode from "vscode";
import { Commands } from "../../src/extension/commandIds";
import type { ApprenticeApi } from "../../src/extension/api";
import { apprentice, setSetting, testModel, waitForReady, waitForStatus } from "./support";

describe("activation", () => {
    let api: ApprenticeApi;
    const model = testModel("tiny-fim-random.gguf");

    before(async () => {
        ({ api } = await apprentice());
        await setSetting("modelPath", model);
    });

    it("activates on startup and returns its API", async () => {
        const extension = vscode.extensions.getExtension("apprentice-dev.apprentice");
        assert.ok(extension, "extension is installed");
        assert.equal(extension.isActive, true);
        assert.equal(typeof api.onDidChangeStatus, "function");
    });

    it("registers every command of package.json and nothing it does not declare", async () => {
        const extension = vscode.extensions.getExtension("apprentice-dev.apprentice")!;
        const declared = (extension.packageJSON.contributes.commands as { command: string }[])
            .map((c) => c.command)
            .sort();
        assert.deepEqual([...Object.values(Commands)].sort(), declared);
        const registered = new Set(await vscode.commands.getCommands(true));
        for (const id of declared) assert.ok(registered.has(id), `command ${id} is registered`);
    });

    it("registers its settings with their defaults", () => {
        const config = vscode.workspace.getConfiguration("apprentice");
        const expected: Record<string, unknown> = {
            modelPath: "",
            contextSize: 0,
            threads: 0,
            gpu: "auto",
            memoryBudgetMB: 0
        };
        for (const [key, value] of Object.entries(expected)) {
            assert.deepEqual(
                config.inspect(key)?.defaultValue,
                value,
                `default of apprentice.${key}`
            );
        }
    });

    it("starts the engine process and becomes ready with the configured model", async () => {
        const ready = await waitForReady(api, model);
        assert.equal(ready.model.name, path.basename(model));
        assert.equal(ready.model.fim, true, "tiny-fim-random has fill-in-the-middle tokens");
        assert.equal(ready.model.threads, 1);
        assert.ok(ready.model.contextSize > 0);
        assert.ok(
            api.enginePid && api.enginePid !== process.pid,
            "the engine runs in its own process"
        );
    });

    it("reports a missing model file as an error, then recovers when the setting is fixed", async () => {
        const missing = path.join(path.dirname(model), "no-such-model.gguf");
        await setSetting("modelPath", missing);
        const error = await waitForStatus(
            api,
            "error for a missing file",
            (s) => s.state === "error"
        );
        assert.ok(error.state === "error");
        assert.equal(error.code, "fileNotFound");
        assert.equal(error.modelPath, missing);
        assert.match(error.action, /\S/, "the error tells the user what to do");
        await setSetting("modelPath", model);
        await waitForReady(api, model);
    });

    it("says so when no model is configured", async () => {
        await setSetting("modelPath", "");
        const status = await waitForStatus(api, "noModel", (s) => s.state === "noModel");
        assert.ok(status.state === "noModel" && status.message.length > 0);
        await setSetting("modelPath", model);
        await waitForReady(api, model);
    });
});
