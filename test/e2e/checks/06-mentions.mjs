// A person types @ in the chat input: the picker opens, typing filters it, Enter turns the chosen
// file into a chip, a .env file is never offered, and Escape closes the picker without stopping anything.
import { frameWith } from "../frames.mjs";

export const title =
    "chat @-mentions: @ opens the picker, typing filters, Enter makes a chip, no .env, Escape closes";

export const files = {
    "src/ledgerReconcile.ts":
        "export function reconcileLedgerEntries(a: number[]): number[] {\n    return a.filter((x) => x > 0);\n}\n",
    ".env": "LEDGER_SECRET=hunter2\n"
};

export async function run(session) {
    const { page } = session;
    await page.keyboard.press("F1");
    const palette = page.locator(".quick-input-widget input");
    await palette.waitFor();
    await palette.fill(">Apprentice: Focus Chat Input");
    await page
        .locator(".quick-input-list .monaco-list-row", { hasText: "Focus Chat Input" })
        .first()
        .waitFor();
    await page.keyboard.press("Enter");
    const chat = await frameWith(
        page,
        "#input[aria-label='Message to Apprentice']",
        "the chat page"
    );
    const box = chat.locator("#input");
    await box.waitFor({ timeout: 60_000 });
    await box.click();
    await box.fill("");

    await page.keyboard.type("Explain @");
    const picker = chat.locator("#mention-picker");
    await picker.waitFor({ state: "visible", timeout: 10_000 });
    await picker.locator(".mention-option", { hasText: "@workspace" }).waitFor({ timeout: 30_000 });
    if ((await box.getAttribute("aria-expanded")) !== "true")
        throw new Error("the input does not say the picker is open");

    // Filtering: "ledgrec" matches ledgerReconcile.ts fuzzily and nothing special.
    await page.keyboard.type("ledgrec");
    const option = picker.locator(".mention-option", { hasText: "ledgerReconcile.ts" });
    await option.first().waitFor({ timeout: 30_000 });
    await picker
        .locator(".mention-option", { hasText: "@workspace" })
        .waitFor({ state: "detached", timeout: 10_000 });
    const shot = await session.screenshot("mention-picker");
    // Move with the arrows, come back, choose with Enter.
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    const first = await picker.locator(".mention-option").first().getAttribute("aria-selected");
    if (first !== "true")
        throw new Error("ArrowDown then ArrowUp should select the first option again");
    await page.keyboard.press("Enter");
    await picker.waitFor({ state: "hidden", timeout: 10_000 });
    await chat
        .locator("#chips .chip", { hasText: "src/ledgerReconcile.ts" })
        .waitFor({ timeout: 30_000 });
    const value = await box.inputValue();
    if (value !== "Explain ")
        throw new Error(`the @word should leave the input, it reads ${JSON.stringify(value)}`);
    if ((await chat.locator(".turn-user", { hasText: "Explain" }).count()) > 0)
        throw new Error("Enter in the picker must not send the message");

    // A secret file is never offered, however it is typed.
    for (const query of ["env", ".env"]) {
        await page.keyboard.type(` @${query}`);
        await picker.waitFor({ state: "visible", timeout: 10_000 });
        // The picker shows the extension's answer for exactly this query.
        await chat.locator(`#mention-picker[data-query="${query}"]`).waitFor({ timeout: 30_000 });
        const labels = await picker.locator(".mention-label").allTextContents();
        if (labels.some((l) => l.includes(".env")))
            throw new Error(`.env was offered for "@${query}": ${labels.join(", ")}`);
        // Escape closes the picker and leaves the text.
        await page.keyboard.press("Escape");
        await picker.waitFor({ state: "hidden", timeout: 10_000 });
    }
    if (!(await box.inputValue()).endsWith("@.env"))
        throw new Error("Escape must only close the picker");
    await box.fill("");
    return {
        screenshot: shot,
        detail: "picker opened, filtered, chip inserted, no .env offered, Escape closed it"
    };
}
