/** The completion stats view in a real VS Code: it opens from its command with the local counts and redraws live as suggestions are shown and accepted. */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import * as vscode from "vscode";
import type { ApprenticeApi } from "../../src/extension/api";
import { Commands } from "../../src/extension/commandIds";
import type { StatsView } from "../../src/shared/statsProtocol";
import { apprentice, openDocument, setSetting, testModel, waitFor, waitForReady } from "./support";

describe("completion stats view", () => {
    let api: ApprenticeApi;
    const model = testModel("tiny-fim-random.gguf");
    const posted: StatsView[] = [];
    let subscription: vscode.Disposable | undefined;
    const latest = () => posted[posted.length - 1];

    before(async () => {
        ({ api } = await apprentice());
        await setSetting("modelPath", model);
        await setSetting("completion.minConfidence", 0);
        await waitForReady(api, model);
        assert.ok(api.completion?.statsView, "the API has the stats view");
        subscription = api.completion.statsView.onDidPost((view) => posted.push(view));
    });
    after(async () => {
        subscription?.dispose();
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
        await setSetting("completion.minConfidence", undefined);
    });

    it("Show Completion Stats opens the view with the counts kept on this machine", async () => {
        const file = api.completion!.statsFile!;
        const saved = existsSync(file)
            ? (JSON.parse(readFileSync(file, "utf8")) as { data: { shown: number } }).data.shown
            : 0;
        await vscode.commands.executeCommand(Commands.showCompletionStats);
        await waitFor(
            "the stats page says it is ready and gets the stats",
            () => api.completion!.statsView!.isReady && posted.length > 0
        );
        const tab = vscode.window.tabGroups.all
            .flatMap((g) => g.tabs)
            .find((t) => t.label === "Completion Stats");
        assert.ok(
            tab?.input instanceof vscode.TabInputWebview &&
                tab.input.viewType.endsWith("apprentice.completionStats"),
            "a webview panel named Completion Stats"
        );
        assert.ok(
            latest().shown >= saved,
            `the view shows at least the saved count (${latest().shown} vs ${saved})`
        );
        assert.equal(latest().enabled, true);
    });

    it("redraws live: a shown suggestion and its acceptance are counted under their language", async () => {
        const before = latest();
        const pythonBefore = before.languages.find((l) => l.languageId === "python") ?? {
            shown: 0,
            accepted: 0
        };
        const editor = await openDocument(
            "stats/total.py",
            "def total(values):\n    result = 0\n    \n    return result\n"
        );
        editor.selection = new vscode.Selection(2, 4, 2, 4);
        await waitFor(
            "a python suggestion counted in the open stats view",
            async () => {
                if (latest().shown > before.shown) return true;
                await vscode.commands.executeCommand("editor.action.inlineSuggest.trigger");
                return false;
            },
            60_000,
            500
        );
        const shown = latest();
        assert.ok(
            (shown.languages.find((l) => l.languageId === "python")?.shown ?? 0) >
                pythonBefore.shown,
            JSON.stringify(shown.languages)
        );
        assert.ok(
            shown.rate.points.length > 0 &&
                shown.rate.points[shown.rate.points.length - 1].shown > 0,
            "this hour has a point"
        );
        assert.ok(shown.latency.count > 0 && shown.latency.p95 >= shown.latency.p50);
        // What VS Code runs when a suggestion is accepted (the item's command, with its language).
        await vscode.commands.executeCommand("apprentice.completion.accepted", "python");
        await waitFor("the acceptance in the view", () => latest().accepted > shown.accepted);
        assert.equal(
            latest().languages.find((l) => l.languageId === "python")?.accepted,
            pythonBefore.accepted + 1
        );
    });

    it("shows the toggle's state: turning inline completion off redraws the view", async () => {
        await vscode.commands.executeCommand(Commands.showCompletionStats);
        await setSetting("completion.enabled", false);
        try {
            await waitFor("the view says completion is off", () => latest().enabled === false);
        } finally {
            await setSetting("completion.enabled", undefined);
        }
        await waitFor("the view says completion is on again", () => latest().enabled === true);
    });
});
