/** The trusted launch (Workspace Trust off): workspace values count, nothing is reported as ignored. */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as vscode from "vscode";
import { resolveModelPath } from "../../src/extension/config";
import { apprentice, setSetting, testModel, waitFor, workspaceDir } from "./support";

describe("workspace trust (trusted window)", () => {
    it("reports no ignored workspace settings although the workspace sets apprentice.modelPath", async () => {
        const { api } = await apprentice();
        assert.equal(vscode.workspace.isTrusted, true);
        const model = testModel("tiny-fim-random.gguf");
        await setSetting("modelPath", model);
        await waitFor(
            "the workspace value",
            () =>
                vscode.workspace.getConfiguration("apprentice").inspect("modelPath")
                    ?.workspaceValue === model
        );
        assert.ok(api.trust);
        await api.trust.checked;
        assert.deepEqual(api.trust.ignoredWorkspaceSettings, []);
        assert.equal(api.trust.notice, undefined);
    });

    it("expands ${workspaceFolder} and relative model paths", () => {
        assert.equal(
            resolveModelPath("${workspaceFolder}/model.gguf"),
            path.join(workspaceDir(), "model.gguf")
        );
        assert.equal(
            resolveModelPath("models/model.gguf"),
            path.join(workspaceDir(), "models", "model.gguf")
        );
    });
});
