import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
    restrictedModeNotice,
    settingsSetIn,
    stripJsonc
} from "../../src/extension/trust/workspaceSettingsFile";

const KEYS = ["apprentice.modelPath", "apprentice.memoryBudgetMB"];

describe("workspace settings file (Restricted Mode notice)", () => {
    it("finds restricted keys in JSON with comments and trailing commas", () => {
        const text = `// project settings
{
    /* "apprentice.memoryBudgetMB": 1, */
    "apprentice.modelPath": "/m/x.gguf", // a comment
    "url": "http://a//b/*c*/",
    "editor.tabSize": 4,
}`;
        assert.deepEqual(settingsSetIn(text, KEYS), ["apprentice.modelPath"]);
        assert.equal(
            JSON.parse(stripJsonc(text)).url,
            "http://a//b/*c*/",
            "comment markers inside strings stay"
        );
    });
    it("reads a .code-workspace file's settings object", () => {
        const text = `{ "folders": [{ "path": "." }], "settings": { "apprentice.memoryBudgetMB": 1, "apprentice.modelPath": "" } }`;
        assert.deepEqual(settingsSetIn(text, KEYS, true), KEYS);
        assert.deepEqual(settingsSetIn(text, KEYS), [], "only the settings object counts");
    });
    it("treats unreadable or non-object JSON as setting nothing", () => {
        for (const text of [
            "",
            "{",
            "[1]",
            "null",
            '"apprentice.modelPath"',
            '{ "a": "unterminated }'
        ])
            assert.deepEqual(settingsSetIn(text, KEYS), [], text);
    });
    it("names the ignored settings in one sentence", () => {
        assert.equal(
            restrictedModeNotice(["apprentice.modelPath"]),
            "Workspace setting apprentice.modelPath is ignored until you trust this folder."
        );
        assert.equal(
            restrictedModeNotice(["a", "b", "c"]),
            "Workspace settings a, b and c are ignored until you trust this folder."
        );
    });
});
