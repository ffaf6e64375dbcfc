/** Completion stats in a real VS Code: a shown suggestion is saved to completion-stats.json within the save interval. */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import type { ApprenticeApi } from "../../src/extension/api";
import { apprentice, openDocument, setSetting, testModel, waitFor, waitForReady } from "./support";

function savedShown(file: string): number {
    if (!existsSync(file)) return 0;
    return (JSON.parse(readFileSync(file, "utf8")) as { data: { shown: number } }).data.shown;
}

describe("completion stats file", () => {
    let api: ApprenticeApi;
    const model = testModel("tiny-fim-random.gguf");
    before(async () => {
        ({ api } = await apprentice());
        await setSetting("modelPath", model);
        await setSetting("completion.minConfidence", 0);
        await waitForReady(api, model);
    });
    after(async () => { await setSetting("completion.minConfidence", undefined); });

    it("a shown suggestion is counted in completion-stats.json in the extension's global storage", async () => {
        const file = api.completion?.statsFile;
        assert.ok(file, "the API names the stats file");
        assert.equal(path.basename(file), "completion-stats.json");
        const before = savedShown(file);
        let shown = 0;
        const listening = api.completion!.onDidProvide((e) => { if (e.items.length > 0) shown++; });
        try {
            const editor = await openDocument("src/stats.ts", "export function total(values: number[]): number {\n    let sum = 0;\n    \n}\n");
            editor.selection = new vscode.Selection(2, 4, 2, 4);
            await waitFor("a suggestion shown", async () => {
                await vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
                return shown > 0;
            }, 60_000, 500);
        } finally {
            listening.dispose();
        }
        // Saved within the 5 s interval; the timeout only bounds a hang.
        await waitFor("the count in completion-stats.json", () => savedShown(file) >= before + 1, 30_000, 200);
    });
});
