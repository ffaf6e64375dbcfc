import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import * as path from "node:path";
import { ESLint } from "eslint";
import { REPO_ROOT } from "../support/models";

/** The lint configuration enforces the module boundaries; prove it rejects each forbidden import. */
describe("lint enforces module boundaries", () => {
    // The snippets are not files of the TypeScript project: lint them without type information.
    const eslint = new ESLint({
        cwd: REPO_ROOT,
        overrideConfig: {
            languageOptions: { parserOptions: { projectService: false, project: null } },
            rules: { "@typescript-eslint/no-floating-promises": "off" }
        }
    });
    const cases: [string, string, boolean][] = [
        ["src/shared/x.ts", `import * as vscode from "vscode"; export const a = vscode;`, false],
        [
            "src/shared/x.ts",
            `import { getLlama } from "node-llama-cpp"; export const a = getLlama;`,
            false
        ],
        [
            "src/shared/x.ts",
            `import { NotificationType } from "vscode-languageserver-protocol"; export const a = NotificationType;`,
            true
        ],
        ["src/engine/x.ts", `import * as vscode from "vscode"; export const a = vscode;`, false],
        [
            "src/engine/x.ts",
            `import { getLlama } from "node-llama-cpp"; export const a = getLlama;`,
            true
        ],
        [
            "src/extension/x.ts",
            `import { getLlama } from "node-llama-cpp"; export const a = getLlama;`,
            false
        ],
        [
            "src/extension/x.ts",
            `import { ModelHost } from "../engine/modelHost/modelHost"; export const a = ModelHost;`,
            false
        ],
        ["src/extension/x.ts", `import * as vscode from "vscode"; export const a = vscode;`, true],
        [
            "src/webview/x.ts",
            `import { LlamaChat } from "node-llama-cpp"; export const a = LlamaChat;`,
            false
        ],
        ["src/webview/x.ts", `import * as vscode from "vscode"; export const a = vscode;`, false]
    ];
    for (const [file, code, allowed] of cases) {
        it(`${allowed ? "allows" : "rejects"} in ${file}: ${code.split(";")[0]}`, async () => {
            const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
            const restricted = result.messages.filter((m) => m.ruleId === "no-restricted-imports");
            assert.equal(restricted.length === 0, allowed, JSON.stringify(result.messages));
        });
    }
});
