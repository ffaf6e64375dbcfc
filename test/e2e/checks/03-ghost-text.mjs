// A person types in a file and sees grey ghost text proposed by the local model, then accepts it with Tab.
// This check switches the window to the real (small) code model, so the screenshot shows code, and
// switches back to the session's test model at the end.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ROOT } from "../../../scripts/vscode-test/tools.mjs";
import { GHOST_TEXT, waitForModel } from "../ghostText.mjs";
import { MODELS } from "../session.mjs";

export const title =
    "inline completion: typing shows ghost text from the local model, Tab accepts it";

const CODER = "coder-48m-fim-q8_0.gguf";

// The sample project's debounce(): typing `clearTimeout(` on its empty line 6 (sample/README.md).
export const files = {
    "src/timing.js": readFileSync(path.join(ROOT, "sample", "src", "timing.js"), "utf8")
};

// Show every suggestion however unsure the model is: this checks the path, not the model.
export const settings = { "apprentice.completion.minConfidence": 0 };

export async function run(session) {
    const { page, workspace } = session;
    const workspaceSettings = path.join(workspace, ".vscode", "settings.json");
    mkdirSync(path.dirname(workspaceSettings), { recursive: true });
    writeFileSync(
        workspaceSettings,
        JSON.stringify({ "apprentice.modelPath": path.join(MODELS, CODER) }, null, 2)
    );
    try {
        await waitForModel(page, CODER);
        await session.openFile("timing.js");
        const editor = page.locator(".monaco-editor .view-lines").first();
        await editor.click();
        await page.keyboard.press("Control+G");
        await page.keyboard.type("6");
        await page.keyboard.press("Enter");
        await page.keyboard.press("End");
        await page.keyboard.type("clearTimeout(", { delay: 60 });
        const ghost = page.locator(GHOST_TEXT);
        // Ask explicitly as well, in case the automatic trigger was cancelled by the last keystroke.
        if (!(await ghost.first().isVisible())) await page.keyboard.press("Alt+Backslash");
        await ghost.first().waitFor({ state: "visible", timeout: 60_000 });
        const proposed = (await ghost.allTextContents()).join("").trim();
        if (!proposed) throw new Error("ghost text is empty");
        const screenshot = await session.screenshot("ghost-text");
        // Ghost text is drawn inside the line, so compare the cursor column, not the rendered text.
        const column = async () =>
            Number(
                /Col (\d+)/.exec(
                    (await page
                        .locator(".statusbar-item", { hasText: /Ln \d+, Col \d+/ })
                        .first()
                        .textContent()) ?? ""
                )?.[1]
            );
        const before = await column();
        await page.keyboard.press("Tab");
        await ghost.first().waitFor({ state: "hidden", timeout: 10_000 });
        let after = await column();
        for (let i = 0; i < 50 && !(after > before); i++) {
            await page.waitForTimeout(100);
            after = await column();
        }
        if (!(after > before))
            throw new Error(
                `Tab did not insert the suggestion (cursor column ${before} → ${after})`
            );
        return {
            screenshot,
            detail: `${CODER} proposed ${JSON.stringify(proposed.slice(0, 40))}; Tab moved the cursor from column ${before} to ${after}`
        };
    } finally {
        // Back to the session's model for the checks that follow.
        rmSync(workspaceSettings, { force: true });
        await waitForModel(page, "tiny-fim-random.gguf").catch(() => undefined);
    }
}
