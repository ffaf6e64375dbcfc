/**
 * First run in a real VS Code: the walkthrough's "Download Recommended Model" button downloads the
 * model recommended for this machine (served from 127.0.0.1 through apprentice.modelMirror) into
 * the extension's storage, and the engine becomes ready with it.
 */
import { strict as assert } from "node:assert";
import { existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { CATALOG } from "../../src/shared/catalog";
import type { ApprenticeApi } from "../../src/extension/api";
import { Commands } from "../../src/extension/commandIds";
import { ModelServer, resolvePath } from "../support/modelServer";
import { apprentice, setSetting, testModel, waitForReady } from "./support";

describe("models: first run", () => {
    let api: ApprenticeApi;
    let server: ModelServer;
    const stand = testModel("tiny-fim-random.gguf");
    let downloaded: string | undefined;

    before(async () => {
        ({ api } = await apprentice());
        // Every catalog path serves the FIM test model: whichever the machine gets recommended, it loads.
        server = await ModelServer.start(
            Object.fromEntries(CATALOG.map((entry) => [resolvePath(entry.hf), stand]))
        );
        await vscode.workspace
            .getConfiguration("apprentice")
            .update("modelMirror", server.base, vscode.ConfigurationTarget.Global);
    });

    after(async () => {
        await vscode.workspace
            .getConfiguration("apprentice")
            .update("modelMirror", undefined, vscode.ConfigurationTarget.Global);
        await setSetting("modelPath", stand);
        await waitForReady(api, stand);
        await server.close();
        if (downloaded) rmSync(downloaded, { force: true });
    });

    it("the walkthrough offers the recommended download and a file of one's own", () => {
        const extension = vscode.extensions.getExtension("apprentice-dev.apprentice")!;
        const walkthroughs = extension.packageJSON.contributes.walkthroughs as {
            steps: { description: string; media: { markdown?: string } }[];
        }[];
        const steps = walkthroughs[0]!.steps;
        assert.ok(
            steps.some((s) =>
                s.description.includes(`command:${Commands.downloadRecommendedModel}`)
            )
        );
        assert.ok(steps.some((s) => s.description.includes(`command:${Commands.selectModelFile}`)));
        for (const step of steps)
            assert.ok(
                existsSync(path.join(extension.extensionPath, step.media.markdown!)),
                step.media.markdown
            );
    });

    it("downloads the recommended model into the extension's storage and the engine becomes ready with it", async function () {
        this.timeout(120_000);
        downloaded = await vscode.commands.executeCommand<string | undefined>(
            Commands.downloadRecommendedModel
        );
        assert.ok(downloaded, "the command returns the downloaded file");
        assert.equal(path.basename(path.dirname(downloaded)), "models");
        assert.ok(existsSync(downloaded));
        assert.ok(
            server.requests.some((r) => downloaded!.endsWith(path.basename(r.url))),
            JSON.stringify(server.requests)
        );
        const ready = await waitForReady(api, downloaded);
        assert.equal(ready.model.fim, true);
        assert.match(ready.model.note ?? "", /CPU/);
    });
});
