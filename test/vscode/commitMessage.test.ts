/** Generate Commit Message in a real VS Code: a git repository with a staged change gets a message streamed into its input box. */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { Commands } from "../../src/extension/commandIds";
import { useChatModel, waitFor, workspaceDir } from "./support";

describe("commit message", () => {
    const fixture = useChatModel("stories260K.gguf");

    it("streams a message for the staged changes into the Source Control input box", async () => {
        const repo = path.join(workspaceDir(), "commit-repo");
        mkdirSync(repo, { recursive: true });
        const git = (...args: string[]) =>
            execFileSync("git", args, { cwd: repo, encoding: "utf8" });
        git("init", "-q");
        git("config", "user.email", "test@example.com");
        git("config", "user.name", "Test");
        writeFileSync(path.join(repo, "ledger.ts"), "export const total = 1;\n");
        git("add", ".");
        git("commit", "-qm", "Start");
        writeFileSync(
            path.join(repo, "ledger.ts"),
            "export const total = 2;\nexport const fee = 3;\n"
        );
        writeFileSync(path.join(repo, ".env"), "TOKEN=hunter2\n");
        git("add", ".");
        const rootUri = vscode.Uri.file(repo);
        // The git extension finds the new repository (it scans the workspace's folders one level deep).
        await vscode.commands
            .executeCommand("git.openRepository", repo)
            .then(undefined, () => undefined);
        const generator = fixture.api.commitMessage!;
        const result = await waitFor(
            "the repository to be known to git",
            async () => {
                try {
                    return await generator.generate(rootUri);
                } catch (error) {
                    if (/No git repository is open/.test(String(error))) return undefined;
                    throw error;
                }
            },
            60_000,
            500
        );
        assert.ok(result.message.length > 0, "a message was generated");
        assert.ok(
            result.updates >= 2,
            `the input box was updated while the answer streamed (${result.updates} times)`
        );
        const gitApi = vscode.extensions
            .getExtension<{
                getAPI(v: 1): {
                    repositories: { rootUri: vscode.Uri; inputBox: { value: string } }[];
                };
            }>("vscode.git")!
            .exports.getAPI(1);
        const repository = gitApi.repositories.find((r) => r.rootUri.fsPath === repo)!;
        assert.equal(repository.inputBox.value, result.message);
        const packageJson = vscode.extensions.getExtension("apprentice-dev.apprentice")!
            .packageJSON as {
            contributes: { menus: Record<string, { command: string; when?: string }[]> };
        };
        assert.ok(
            packageJson.contributes.menus["scm/title"].some(
                (m) =>
                    m.command === Commands.generateCommitMessage && m.when === "scmProvider == git"
            ),
            "the button is in the Source Control title"
        );
    });
});
