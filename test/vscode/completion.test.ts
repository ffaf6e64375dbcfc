/** Ghost text in a real VS Code: the engine's LSP inline completion reaches the editor through vscode-languageclient. */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import type { ApprenticeApi } from "../../src/extension/api";
import { Commands } from "../../src/extension/commandIds";
import {
    apprentice,
    nextProvide,
    openDocument,
    setSetting,
    testModel,
    waitFor,
    waitForReady
} from "./support";

describe("inline completion", () => {
    let api: ApprenticeApi;
    const model = testModel("tiny-fim-random.gguf");

    before(async () => {
        ({ api } = await apprentice());
        await setSetting("modelPath", model);
        await setSetting("completion.minConfidence", 0);
        await waitForReady(api, model);
    });
    after(async () => {
        await setSetting("completion.minConfidence", undefined);
        await setSetting("completion.enabled", undefined);
    });

    it("exposes its completion events in the API", () => {
        assert.ok(api.completion, "api.completion exists");
        assert.equal(typeof api.completion.onDidProvide, "function");
    });

    it("registers its settings with their defaults", () => {
        const config = vscode.workspace.getConfiguration("apprentice.completion");
        assert.equal(config.inspect("enabled")?.defaultValue, true);
        assert.equal(config.inspect("minConfidence")?.defaultValue, 0.6);
        assert.equal(config.inspect("maxLines")?.defaultValue, 8);
    });

    it("provides ghost text from the model on an explicit trigger, with the engine's timings", async () => {
        const editor = await openDocument(
            "src/sum.ts",
            "export function total(values: number[]): number {\n    let sum = 0;\n    \n}\n"
        );
        editor.selection = new vscode.Selection(2, 4, 2, 4);
        const provided = nextProvide(api, "a completion from the engine");
        await vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
        const event = await provided;
        assert.equal(event.uri, editor.document.uri.toString());
        assert.ok(event.meta, "the result carries Apprentice's metadata");
        assert.ok(["ok", "empty"].includes(event.meta.state), JSON.stringify(event.meta));
        assert.equal(event.meta.timings?.source, "model");
        assert.ok((event.meta.timings?.promptTokens ?? 0) > 10, "a FIM prompt was evaluated");
        if (event.meta.state === "ok")
            assert.ok(event.items.length >= 1 && event.items.every((t) => t.trim() !== ""));
    });

    it("counts a shown suggestion in completion-stats.json (the extension's global storage) within the save interval", async () => {
        const file = api.completion?.statsFile;
        assert.ok(file, "the API names the stats file");
        assert.equal(path.basename(file), "completion-stats.json");
        const saved = () =>
            existsSync(file)
                ? (JSON.parse(readFileSync(file, "utf8")) as { data: { shown: number } }).data.shown
                : 0;
        const before = saved();
        let shown = 0;
        const listening = api.completion!.onDidProvide((e) => {
            if (e.items.length > 0) shown++;
        });
        try {
            const editor = await openDocument(
                "src/stats.ts",
                "export function total(values: number[]): number {\n    let sum = 0;\n    \n}\n"
            );
            editor.selection = new vscode.Selection(2, 4, 2, 4);
            await waitFor(
                "a suggestion shown",
                async () => {
                    await vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
                    return shown > 0;
                },
                60_000,
                500
            );
        } finally {
            listening.dispose();
        }
        // Saved within the 5 s interval; the timeout only bounds a hang.
        await waitFor(
            "the count in completion-stats.json",
            () => saved() >= before + 1,
            30_000,
            200
        );
    });

    it("where the cursor rests, the engine prefetches the prompt, and the first keystroke there evaluates a few tokens", async () => {
        const stats = async () => (await api.completion!.engineStats!())!;
        const lines = Array.from({ length: 30 }, (_, i) => `    sum += values[${i}] * ${i + 1};`);
        const editor = await openDocument(
            "src/rest.ts",
            `export function weighted(values: number[]): number {\n    let sum = 0;\n${lines.join("\n")}\n    return sum;\n}\n`
        );
        const before = (await stats()).prefetch!;
        // Rest at the end of line 20 (a click there, no typing).
        const end = editor.document.lineAt(20).text.length;
        editor.selection = new vscode.Selection(20, end, 20, end);
        const prefetched = await waitFor(
            "a completed prefetch",
            async () => {
                const now = (await stats()).prefetch!;
                return now.completed > before.completed ? now : undefined;
            },
            60_000,
            100
        );
        assert.ok(prefetched.started > before.started);
        const provided = nextProvide(api, "the completion after the first keystroke");
        await editor.edit((edit) => edit.insert(new vscode.Position(20, end), " "));
        await vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
        const event = await provided;
        const timings = event.meta?.timings;
        assert.equal(timings?.source, "model", JSON.stringify(event.meta));
        assert.ok(
            timings!.evaluatedTokens <= 12 && timings!.reusedTokens > 100,
            `first keystroke evaluated ${timings!.evaluatedTokens}, reused ${timings!.reusedTokens}`
        );
    });

    it("the toggle command turns completion off and the provider stays quiet", async () => {
        await vscode.commands.executeCommand(Commands.toggleCompletion);
        assert.equal(
            vscode.workspace.getConfiguration("apprentice.completion").get("enabled"),
            false
        );
        let fired = false;
        const subscription = api.completion!.onDidProvide(() => {
            fired = true;
        });
        const editor = vscode.window.activeTextEditor!;
        editor.selection = new vscode.Selection(1, 16, 1, 16);
        await vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
        await new Promise((resolve) => setTimeout(resolve, 1500));
        subscription.dispose();
        assert.equal(fired, false, "no request reached the engine while completion is off");
        await vscode.commands.executeCommand(Commands.toggleCompletion);
        assert.equal(
            vscode.workspace.getConfiguration("apprentice.completion").get("enabled"),
            true
        );
    });
});
