/** The status bar menu in a real VS Code: the engine's state, the model, the completion toggle with its state, and the stats. */
import { strict as assert } from "node:assert";
import * as vscode from "vscode";
import type { ApprenticeApi } from "../../src/extension/api";
import { apprentice, setSetting, testModel, waitFor, waitForReady } from "./support";

describe("status menu", () => {
    let api: ApprenticeApi;
    const model = testModel("tiny-fim-random.gguf");
    const rows = () =>
        api
            .statusMenu!.items()
            .map(
                (i) =>
                    `${i.kind === vscode.QuickPickItemKind.Separator ? "— " : ""}${i.label}${i.description ? ` | ${i.description}` : ""}`
            );

    before(async () => {
        ({ api } = await apprentice());
        await setSetting("modelPath", model);
        await waitForReady(api, model);
    });
    after(() => setSetting("completion.enabled", undefined));

    it("lists the state, the model, inline completion on and the stats before the actions", () => {
        const all = rows();
        const at = (pattern: RegExp) => all.findIndex((r) => pattern.test(r));
        assert.ok(at(/^\$\(pass-filled\) Ready \| ctx \d+ · CPU/) >= 0, all.join("\n"));
        assert.ok(
            at(/^\$\(chip\) Model: tiny-fim-random\.gguf \| Choose Model…$/) >= 0,
            all.join("\n")
        );
        assert.ok(at(/^\$\(sparkle\) Inline Completion: On \| Turn off$/) >= 0, all.join("\n"));
        assert.ok(
            at(
                /^\$\(graph\) Completion Stats \| (\d+ shown · \d+% accepted · p50 \d+ ms|nothing counted yet)$/
            ) >= 0,
            all.join("\n")
        );
        assert.ok(
            at(/Ready/) < at(/Model:/) &&
                at(/Model:/) < at(/^— Inline completion$/) &&
                at(/Completion Stats/) < at(/^— Actions$/),
            all.join("\n")
        );
        assert.ok(at(/Restart Engine/) > at(/^— Actions$/), all.join("\n"));
    });

    it("says how far the workspace index is", async () => {
        await waitFor("the menu shows the workspace index", () =>
            rows().some((r) =>
                /^\$\(database\) Workspace Index: Ready · [\d,]+ chunks? in [\d,]+ files? · words only \| Settings$/.test(
                    r
                )
            )
        );
        const all = rows();
        assert.ok(
            all.indexOf("— Workspace index (@workspace)") < all.indexOf("— Actions"),
            all.join("\n")
        );
    });

    it("shows the toggle's current state", async () => {
        await setSetting("completion.enabled", false);
        await waitFor("the menu says inline completion is off", () =>
            rows().includes("$(circle-slash) Inline Completion: Off | Turn on")
        );
        await setSetting("completion.enabled", undefined);
        await waitFor("the menu says inline completion is on", () =>
            rows().includes("$(sparkle) Inline Completion: On | Turn off")
        );
    });
});
