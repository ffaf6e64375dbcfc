// A person opens the Apprentice chat, types a question, presses Enter, watches the answer stream,
// and stops it with Escape. The webview runs inside VS Code's own webview iframes in Chromium.
export const title = "chat: Enter sends a question, the answer streams, Escape stops it";

export async function run(session) {
    const { page } = session;
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(">Apprentice: Focus Chat Input");
    await page
        .locator(".quick-input-list .monaco-list-row", { hasText: "Focus Chat Input" })
        .first()
        .waitFor();
    await page.keyboard.press("Enter");
    // VS Code hosts a webview in an iframe that holds the page in an inner iframe.
    const chat = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
    const box = chat.locator("#input");
    await box.waitFor({ timeout: 60_000 });
    await chat.locator(".model-ready").waitFor({ timeout: 120_000 });
    await box.click();
    await page.keyboard.type("What does greet do?");
    await page.keyboard.press("Enter");
    await chat
        .locator(".turn-user", { hasText: "What does greet do?" })
        .waitFor({ timeout: 30_000 });
    // Streamed text appears before the answer ends.
    await chat
        .locator(".turn-assistant .answer")
        .filter({ hasText: /\S/ })
        .first()
        .waitFor({ timeout: 60_000 });
    await box.press("Escape");
    await chat
        .locator(".turn-assistant .meta", { hasText: /tokens\/s/ })
        .first()
        .waitFor({ timeout: 60_000 });
    const meta = (await chat.locator(".turn-assistant .meta").allTextContents()).join(" · ");
    return { screenshot: await session.screenshot("chat-answer"), detail: meta };
}
