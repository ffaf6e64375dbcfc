/**
 * Quality smoke test with the real code model (coder-48m-fim-q8_0.gguf): a few easy cases that the
 * prompt, token healing and post-processing must answer right, asked as the editor asks (automatic
 * trigger). Firm assertions on the suggestion's first line, no timings; the confidence filter is off
 * here (it is measured by the bench's quality suite, `npm run bench -- --suites quality`).
 */
import { strict as assert } from "node:assert";
import { after, before, describe, it } from "node:test";
import { CompletionClient, endOf } from "../support/completionClient";
import { EngineProcess } from "../support/engineProcess";
import { requireModel } from "../support/models";

const CODER = requireModel("coder-48m-fim-q8_0.gguf");

interface SmokeCase {
    name: string;
    languageId: string;
    before: string;
    after: string;
    firstLine: string;
}

const CASES: SmokeCase[] = [
    {
        name: "a template literal: `Hello, ${` → `user.name}`;`",
        languageId: "javascript",
        before: "/**\n * Greets a user by name.\n * @param {{name: string}} user\n */\nfunction greet(user) {\n    return `Hello, ${",
        after: "\n}\n",
        firstLine: "user.name}`;"
    },
    {
        name: "inside a word: `JSON.pa` → `rse(text);` (token healing)",
        languageId: "javascript",
        before: "function load(text) {\n    const data = JSON.pa",
        after: "\n    return data;\n}\n",
        firstLine: "rse(text);"
    },
    {
        name: "Python, inside a word: `self.na` → `me = name` (token healing)",
        languageId: "python",
        before: "class User:\n    def __init__(self, name, email):\n        self.na",
        after: "\n        self.email = email\n",
        firstLine: "me = name"
    },
    {
        name: "Python, inside a word: `import o` → `s` (token healing)",
        languageId: "python",
        before: "import o",
        after: "\nimport sys\n\nprint(os.getcwd())\n",
        firstLine: "s"
    }
];

describe("suggestion quality with a real code model (coder-48m-fim)", () => {
    let engine: EngineProcess;
    let client: CompletionClient;
    before(async () => {
        engine = EngineProcess.spawn();
        await engine.initialize({ modelPath: CODER, threads: 1, gpu: "off" });
        const ready = await engine.waitForSettled(120_000, 0);
        assert.equal(ready.state, "ready", JSON.stringify(ready));
        client = new CompletionClient(engine);
    });
    after(async () => {
        await engine?.shutdown();
    });

    CASES.forEach((c, i) => {
        it(c.name, async () => {
            const uri = `file:///smoke/case${i}.${c.languageId === "python" ? "py" : "js"}`;
            await client.open(uri, c.before + c.after, c.languageId);
            const result = await client.complete(uri, endOf(c.before), {
                minConfidence: 0,
                computeAhead: false
            });
            await engine.connection.sendNotification("textDocument/didClose", {
                textDocument: { uri }
            });
            const text = result.items[0]?.insertText;
            assert.equal(
                typeof text === "string" ? text.split("\n")[0] : undefined,
                c.firstLine,
                `answer: ${JSON.stringify(text)}, state ${result.apprentice?.state}`
            );
        });
    });
});
