/**
 * Runs in its own VS Code launch (scripts/vscode-test/run.mjs, "untrusted workspace"): Workspace Trust
 * is on and the folder is not trusted. Its .vscode/settings.json points apprentice.modelPath at
 * stories260K.gguf, sets a 1 MiB memory budget, 64 threads, a 100000-token context, another models folder, a remote backend and a secret
 * pattern list without the user's; the user settings name tiny-fim-random.gguf and `*.usersecret`.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import type { ApprenticeApi } from "../../../src/extension/api";
import { resolveModelPath } from "../../../src/extension/config";
import {
    apprentice,
    nextProvide,
    openDocument,
    testModel,
    waitForStatus,
    workspaceDir
} from "../support";

/** Opens `name` as JavaScript (so no language is excluded from completion) and asks for ghost text at its end. */
async function completeIn(api: ApprenticeApi, name: string) {
    const opened = await openDocument(name, "function add(a, b) {\n    return \n}\n");
    const document = await vscode.languages.setTextDocumentLanguage(opened.document, "javascript");
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 11, 1, 11);
    const provided = nextProvide(api, `a completion answer for ${name}`);
    await vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
    return provided;
}

describe("restricted mode (untrusted workspace)", () => {
    let api: ApprenticeApi;
    const userModel = testModel("tiny-fim-random.gguf");
    const workspaceModel = testModel("stories260K.gguf");

    before(async () => {
        ({ api } = await apprentice());
    });

    it("runs in a folder that is not trusted, whose settings file sets the restricted settings", () => {
        assert.equal(vscode.workspace.isTrusted, false);
        const text = readFileSync(path.join(workspaceDir(), ".vscode", "settings.json"), "utf8");
        assert.ok(
            text.includes(JSON.stringify(workspaceModel)),
            "the workspace names another model"
        );
        assert.match(text, /"apprentice\.memoryBudgetMB": 1,/);
    });

    it("reads apprentice.modelPath, memoryBudgetMB, threads, contextSize and modelsFolder from the user settings only", () => {
        const config = vscode.workspace.getConfiguration("apprentice");
        assert.equal(config.get("modelPath"), userModel);
        assert.equal(config.get("memoryBudgetMB"), 0);
        assert.equal(config.get("threads"), 1);
        assert.equal(config.get("contextSize"), 0);
        const modelsFolder = config.get<string>("modelsFolder", "");
        assert.ok(modelsFolder.endsWith(`${path.sep}user-models`), modelsFolder);
        assert.equal(config.get("backend.kind"), "local");
    });

    it("loads the user's model within the default memory budget, not the workspace's", async () => {
        const settled = await waitForStatus(
            api,
            "the model loaded or refused",
            (s) => s.state === "ready" || s.state === "error"
        );
        assert.equal(settled.state, "ready", `not ready: ${JSON.stringify(settled)}`);
        assert.ok(settled.state === "ready");
        assert.equal(settled.model.path, userModel);
        assert.equal(settled.model.name, "tiny-fim-random.gguf");
        assert.ok(settled.model.contextSize >= 256, "a 1 MiB budget would have refused the model");
        assert.ok(
            settled.model.contextSize <= 4096,
            `the workspace's contextSize is ignored: ${settled.model.contextSize}`
        );
        assert.equal(settled.model.threads, 1, "the workspace's 64 threads are ignored");
    });

    it("completes code in Restricted Mode with the local model", async () => {
        const event = await completeIn(api, "src/add.js");
        assert.ok(event.meta, "the result carries Apprentice's metadata");
        assert.ok(["ok", "empty"].includes(event.meta.state), JSON.stringify(event.meta));
        assert.equal(
            event.meta.timings?.source,
            "model",
            "the workspace's apprentice.backend.* is ignored"
        );
        assert.ok((event.meta.timings?.promptTokens ?? 0) > 5, "a FIM prompt was evaluated");
    });

    it("keeps the user's and the built-in secret file patterns; the workspace only adds to them", async () => {
        for (const name of ["keys.usersecret", "keys.wssecret", ".env"]) {
            const event = await completeIn(api, name);
            assert.equal(event.meta?.state, "skipped", `${name}: ${JSON.stringify(event.meta)}`);
            assert.match(event.meta?.message ?? "", /secrets/, name);
        }
    });

    it("tells the user which workspace settings it ignores until the folder is trusted", async () => {
        assert.ok(api.trust, "the API exposes the trust facts");
        await api.trust.checked;
        assert.deepEqual(api.trust.ignoredWorkspaceSettings, [
            "apprentice.modelPath",
            "apprentice.memoryBudgetMB",
            "apprentice.threads",
            "apprentice.contextSize"
        ]);
        assert.equal(
            api.trust.notice,
            "Workspace settings apprentice.modelPath, apprentice.memoryBudgetMB, apprentice.threads and apprentice.contextSize are ignored until you trust this folder."
        );
    });

    it("does not let the folder choose the model file through ${workspaceFolder} or a relative path", () => {
        assert.equal(
            resolveModelPath("${workspaceFolder}/model.gguf"),
            "${workspaceFolder}/model.gguf"
        );
        assert.equal(resolveModelPath("models/model.gguf"), "models/model.gguf");
        assert.equal(resolveModelPath("~/model.gguf"), path.join(os.homedir(), "model.gguf"));
    });
});
